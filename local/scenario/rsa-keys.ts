import { generateKeyPairSync } from 'node:crypto';

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
