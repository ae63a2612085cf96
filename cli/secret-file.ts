import { open, rm } from 'node:fs/promises';

/** Owner read and write only. */
const OWNER_ONLY = 0o600;

/** A new file only its owner can read, opened before the secret exists, so that a bad path loses nothing. */
export interface SecretFile {
    write(text: string): Promise<void>;
    /** Closes and deletes the file: nothing was written. */
    discard(): Promise<void>;
}

/**
 * Creates the file, refusing an existing one (or a symbolic link in its place) rather than
 * overwriting it: 'wx' is O_CREAT|O_EXCL, which also fails on a dangling link
 * (https://nodejs.org/api/fs.html#file-system-flags).
 */
export async function createSecretFile(path: string): Promise<SecretFile> {
    const file = await open(path, 'wx', OWNER_ONLY);
    // The mode given to open is filtered by the umask; chmod sets it exactly.
    await file.chmod(OWNER_ONLY);
    return {
        async write(text) {
            try {
                await file.writeFile(text, 'utf8');
            } finally {
                await file.close();
            }
        },
        async discard() {
            await file.close();
            await rm(path, { force: true });
        },
    };
}
