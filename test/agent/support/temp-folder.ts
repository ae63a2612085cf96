import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh temporary folder per test, removed afterwards. */
export function useTempFolders(): () => Promise<string> {
    const created: string[] = [];
    afterEach(async () => {
        await Promise.all(created.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
    });
    return async () => {
        const folder = await mkdtemp(join(tmpdir(), 'ppo-agent-'));
        created.push(folder);
        return folder;
    };
}
