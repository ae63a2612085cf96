/**
 * Nonces seen within the acceptance window. A nonce is remembered for twice the allowed clock skew:
 * after that its timestamp is refused anyway, so forgetting it cannot let a replay through.
 * Only requests with a valid signature are remembered, so strangers cannot fill it.
 */
export class NonceCache {
    private readonly expiries = new Map<string, number>();
    private insertsSincePrune = 0;

    constructor(private readonly retentionMs: number) {}

    /** True when the nonce is new (and now remembered); false when it was seen before. */
    remember(nonce: string, nowMs: number): boolean {
        const expiry = this.expiries.get(nonce);
        if (expiry !== undefined && expiry > nowMs) return false;
        this.expiries.set(nonce, nowMs + this.retentionMs);
        if (++this.insertsSincePrune >= 1000) this.prune(nowMs);
        return true;
    }

    get size(): number {
        return this.expiries.size;
    }

    prune(nowMs: number): void {
        this.insertsSincePrune = 0;
        for (const [nonce, expiry] of this.expiries) if (expiry <= nowMs) this.expiries.delete(nonce);
    }
}
