import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './infra-sources';

/** A path into C:\Temp, as in "C:\Temp\agent-config.json" (the folder named in prose alone is fine). */
const PATH_IN_TEMP = /C:\\Temp\\/i;

/**
 * Issue 15, finding 6: the deployment guide had administrators write the plaintext agent
 * configuration (Listen key, shared secret) to C:\Temp, which every user of the server can read.
 */
describe('the guides keep the plaintext agent configuration out of C:\\Temp', () => {
    it('README, docs/ and the installer\'s own example name no file in C:\\Temp', async () => {
        // Prepare
        const docs = (await readdir(join(REPO_ROOT, 'docs'))).filter((name) => name.endsWith('.md')).map((name) => join('docs', name));
        const files = ['README.md', 'agent/install-service.ps1', ...docs];

        // Act
        const offending: string[] = [];
        for (const file of files) {
            const lines = (await readFile(join(REPO_ROOT, file), 'utf8')).split('\n');
            lines.forEach((line, index) => {
                if (PATH_IN_TEMP.test(line)) offending.push(`${file}:${index + 1}: ${line.trim()}`);
            });
        }

        // Assess
        expect(offending).toEqual([]);
    });
});
