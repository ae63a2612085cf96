/**
 * What an activity returns. Activities throw only for transient failures (so the retry policies
 * retry them); a permanent failure comes back as `ok: false` and ends the run with its remedy.
 */
export interface PermanentFailure {
    readonly code: string;
    readonly message: string;
    readonly remedy?: string;
}

export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: PermanentFailure };
