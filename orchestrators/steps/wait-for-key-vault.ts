import type { OrchestrationContext, Task } from 'durable-functions';
import { certificateCreationPolling } from '../../lib/contracts/retry-policies';
import { callActivity, sleep } from '../activity-calls';
import { RunFailure, unwrap } from '../run-failure';
import type { StepTable } from '../step-table';

/**
 * Reads the pending Key Vault operation between durable timers; never blocks an activity. The waits
 * count from `requestedAt`, when the creation was asked for (default: now): when the run has already
 * spent that long on work alongside (onboarding's AuthServer and push proxy calls), the first read is
 * not put off by another full first wait, which delayed every onboarding by up to that wait (issue 16, B1).
 */
export function* waitForKeyVaultCertificate(
    context: OrchestrationContext,
    certificateName: string,
    initial: 'pending' | 'completed',
    table: StepTable,
    step: string,
    requestedAt?: Date,
): Generator<Task, void, unknown> {
    const policy = certificateCreationPolling;
    let status = initial;
    const since = requestedAt === undefined ? 0 : Math.max(0, (context.df.currentUtcDateTime.getTime() - requestedAt.getTime()) / 1000);
    let waited = since;
    let wait: number = Math.max(0, policy.firstWaitSeconds - since);
    while (status === 'pending') {
        if (waited >= policy.maxTotalSeconds) {
            throw new RunFailure({
                step,
                code: 'keyvault_creation_timeout',
                message: `Key Vault did not finish creating ${certificateName} within ${policy.maxTotalSeconds} s`,
                remedy: 'Check the certificate operation in the Key Vault (Certificates > the certificate > Certificate operation); delete a failed operation, then start the run again.',
            });
        }
        table.start(step, `waiting for Key Vault to create ${certificateName} (${Math.round(waited)} s so far)`);
        yield* sleep(context, wait);
        waited += wait;
        wait = waited < policy.fineForSeconds ? policy.fineWaitSeconds : Math.min(Math.round(Math.max(wait, policy.fineWaitSeconds) * policy.backoffCoefficient), policy.maxWaitSeconds);
        status = unwrap(yield* callActivity(context, 'keyVaultCheckCertificate', { certificateName }), step).status;
    }
}
