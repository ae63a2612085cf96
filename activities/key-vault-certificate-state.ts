import type { CreationState } from '../lib/keyvault/certificate-lifecycle';
import { PermanentError } from '../lib/errors';

/** Pending or completed; a failed or vanished creation ends the run with what to do. */
export function creationStatus(state: CreationState): 'pending' | 'completed' {
    if (state.status === 'pending' || state.status === 'completed') return state.status;
    const why = state.status === 'failed' ? state.reason : 'no certificate and no pending operation';
    throw new PermanentError('keyvault_creation_failed', `Key Vault could not create ${state.certificateName}: ${why}`, {
        remedy: `Open the certificate ${state.certificateName} in the Key Vault, read its certificate operation, delete the failed operation, then start the run again.`,
    });
}
