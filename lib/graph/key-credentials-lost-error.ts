import { PermanentError } from '../errors';

/** Raised when a write left fewer key credentials than it should: the product's worst data loss. */
export class KeyCredentialsLostError extends PermanentError {
    constructor(
        readonly target: string,
        readonly lostKeyIds: readonly string[],
        readonly lostThumbprints: readonly string[],
    ) {
        super(
            'graph-key-credentials-lost',
            `Key credentials were LOST on ${target} after writing keyCredentials: keyIds ${lostKeyIds.join(', ')}. Hybrid features relying on them will fail until they are restored.`,
            {
                cause: new Error('verify-after-write found credentials missing'),
                remedy: `Re-add the lost certificates (thumbprints ${lostThumbprints.join(', ') || 'unknown'}) to ${target} in Entra ID, and check for another writer of this object's keyCredentials.`,
            },
        );
    }
}
