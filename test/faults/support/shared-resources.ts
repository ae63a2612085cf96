import { createPrivateKey, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startAzuriteTables, type RunningAzurite } from '../../../local/azurite';
import { createLocalCloudTls, type LocalCloudTls } from '../../../local/identity/local-cloud';
import { prefillRsaKeys, reuseRsaKeys, rsaPrivateKeyPem } from '../../../local/scenario/rsa-keys';

/** What the worlds of one test file share: all of it immutable, or (Azurite) partitioned per world. */
export interface SharedResources {
    readonly tls: LocalCloudTls;
    readonly issuerSigningKey: KeyObject;
    readonly azurite: RunningAzurite;
    /** A tmpfs when there is one: the agent flushes every stored result to disk. */
    readonly agentDataRoot: string;
}

let shared: Promise<SharedResources> | undefined;

/**
 * Made once per test file: RSA keys from a rotating pool of 8 (a world draws 3 or 4 at start and
 * one per certificate Key Vault issues; generating one takes a few hundred milliseconds), one TLS
 * authority, one issuer key, one Azurite with a table per world.
 */
export function sharedResources(): Promise<SharedResources> {
    shared ??= (async () => {
        reuseRsaKeys(8);
        const [azurite] = await Promise.all([startAzuriteTables(), prefillRsaKeys(2048)]);
        return {
            tls: createLocalCloudTls(),
            issuerSigningKey: createPrivateKey(rsaPrivateKeyPem(2048)),
            azurite,
            agentDataRoot: existsSync('/dev/shm') ? '/dev/shm' : tmpdir(),
        };
    })();
    return shared;
}

export async function stopSharedResources(): Promise<void> {
    const resources = await shared;
    shared = undefined;
    await resources?.azurite.stop();
}
