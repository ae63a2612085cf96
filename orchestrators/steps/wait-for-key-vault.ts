import type { OrchestrationContext, Task } from 'durable-functions';
import { certificateCreationPolling } from '../../lib/contracts/retry-policies';
import { callActivity, sleep } from '../activity-calls';
import { RunFailure, unwrap } from '../run-failure';
import type { StepTable } from '../step-table';

/** Reads the pending Key Vault operation between durable timers; never blocks an activity. */
export function* waitForKeyVaultCertificate(
    context: OrchestrationContext,
    certificateName: string,
    initial: 'pending' | 'completed',
    table: StepTable,
    step: string,
): Generator<Task, void, unknown> {
    const policy = certificateCreationPolling;
    let status = initial;
    let wait: number = policy.firstWaitSeconds;
    let waited = 0;
    while (status === 'pending') {
        if (waited >= policy.maxTotalSeconds) {
            throw new RunFailure({
                step,
                code: 'keyvault_creation_timeout',
                message: `Key Vault did not finish creating ${certificateName} within ${policy.maxTotalSeconds} s`,
                remedy: 'Check the certificate operation in the Key Vault (Certificates > the certificate > Certificate operation); delete a failed operation, then start the run again.',
            });
        }
        table.start(step, `waiting for Key Vault to create ${certificateName} (${waited} s so far)`);
        yield* sleep(context, wait);
        waited += wait;
        wait = waited < policy.fineForSeconds ? policy.fineWaitSeconds : Math.min(Math.round(wait * policy.backoffCoefficient), policy.maxWaitSeconds);
        status = unwrap(yield* callActivity(context, 'keyVaultCheckCertificate', { certificateName }), step).status;
    }
}
