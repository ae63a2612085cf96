import { describe, expect, it } from 'vitest';
import { agentCallRetry, graphRetry, keyVaultRetry, registryRetry, type RetryPolicy } from '../../lib/contracts/retry-policies';

/** Sum of the waits between attempts, as the host schedules them. */
function totalBackoffMs(policy: RetryPolicy): number {
    let total = 0;
    for (let retry = 0; retry < policy.maxNumberOfAttempts - 1; retry++) {
        total += Math.min(policy.firstRetryIntervalMs * policy.backoffCoefficient ** retry, policy.maxRetryIntervalMs);
    }
    return total;
}

describe('named retry policies', () => {
    // durable-functions leaves an instance Running forever when retryTimeout expires before the
    // attempts run out (Azure/azure-functions-durable-js#629): attempts must always end first.
    it.each([
        ['agent calls', agentCallRetry],
        ['Microsoft Graph', graphRetry],
        ['Key Vault', keyVaultRetry],
        ['the registry', registryRetry],
    ])('%s run out of attempts well before the retry timeout', (_label, policy) => {
        // Act
        const backoff = totalBackoffMs(policy);

        // Assess
        expect(policy.maxNumberOfAttempts).toBeGreaterThan(1);
        expect(backoff * 2).toBeLessThan(policy.retryTimeoutMs);
    });
});
