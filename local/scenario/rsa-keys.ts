import { generateKeyPair, generateKeyPairSync } from 'node:crypto';

interface KeyPool {
    readonly size: number;
    readonly keys: Map<number, string[]>;
    readonly taken: Map<number, number>;
}

let pool: KeyPool | undefined;

/**
 * Lets the keys of simulated worlds (generated certificates, the token issuer's signing key) come
 * from a rotating pool of `size` keys per modulus length, for test suites that start many worlds in
 * one process: RSA key generation takes a few hundred milliseconds and dominates a world's start-up.
 * Any `size` consecutive keys are distinct, so a world never holds two certificates with one key;
 * later worlds reuse the keys of earlier ones. Off by default (every key fresh), as the demo runs.
 */
export function reuseRsaKeys(size: number): void {
    pool = { size: Math.max(1, Math.floor(size)), keys: new Map(), taken: new Map() };
}

/**
 * Fills the pool (reuseRsaKeys first) with keys generated on libuv's thread pool, several at once
 * and beside whatever else the process does meanwhile, instead of one by one on first use.
 */
export async function prefillRsaKeys(modulusLength: number): Promise<void> {
    const current = pool;
    if (current === undefined) return;
    const keys = current.keys.get(modulusLength) ?? [];
    current.keys.set(modulusLength, keys);
    const missing = current.size - keys.length;
    const generated = await Promise.all(
        Array.from(
            { length: Math.max(0, missing) },
            () =>
                new Promise<string>((resolve, reject) => {
                    generateKeyPair('rsa', { modulusLength, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } }, (error, _publicKey, privateKey) =>
                        error === null ? resolve(privateKey) : reject(error),
                    );
                }),
        ),
    );
    keys.push(...generated.slice(0, current.size - keys.length));
}

/** A fresh RSA private key (PKCS#8 PEM), or the next one of the pool when reuseRsaKeys is on. */
export function rsaPrivateKeyPem(modulusLength: number): string {
    const generate = (): string => generateKeyPairSync('rsa', { modulusLength }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    if (pool === undefined) return generate();
    const keys = pool.keys.get(modulusLength) ?? [];
    pool.keys.set(modulusLength, keys);
    const index = pool.taken.get(modulusLength) ?? 0;
    pool.taken.set(modulusLength, index + 1);
    if (keys.length < pool.size) keys.push(generate());
    return keys[index % pool.size] as string;
}
