interface Queued<T> {
    readonly item: T;
    readonly resolve: () => void;
    readonly reject: (error: unknown) => void;
}

/**
 * Runs writes one batch at a time: whatever is queued while a batch is being written goes out
 * together in the next one, so concurrent writers share one flush to disk instead of waiting in line.
 */
export class WriteBatcher<T> {
    private queued: Queued<T>[] = [];
    private draining = false;

    /** `writeBatch` is called synchronously once the batch is taken, so it can snapshot state that matches it. */
    constructor(private readonly writeBatch: (items: readonly T[]) => Promise<void>) {}

    write(item: T): Promise<void> {
        return new Promise<void>((resolve, reject) => {
            this.queued.push({ item, resolve, reject });
            if (!this.draining) void this.drain();
        });
    }

    private async drain(): Promise<void> {
        this.draining = true;
        while (this.queued.length > 0) {
            const batch = this.queued.splice(0);
            try {
                await this.writeBatch(batch.map((queued) => queued.item));
                for (const queued of batch) queued.resolve();
            } catch (error) {
                for (const queued of batch) queued.reject(error);
            }
        }
        this.draining = false;
    }
}
