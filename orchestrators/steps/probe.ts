import type { OrchestrationContext, Task } from 'durable-functions';
import type { AgentCall } from '../../lib/contracts/activities';
import type { ServerView } from '../../lib/contracts/inventory';
import { agentCallBatches, batchStep } from '../../lib/contracts/agent-call-budget';
import { callActivity, sleep } from '../activity-calls';
import { unwrap } from '../run-failure';
import { nameServers } from '../server-names';
import type { StepTable } from '../step-table';

export interface ProbeOptions {
    readonly server: ServerView & { readonly fqdn: string };
    /** Where MSExchangeHM is restarted: every Mailbox server, since each caches the proxy's state. */
    readonly mailboxServers: readonly string[];
    readonly agent: (step: string) => AgentCall;
    readonly attempts: number;
    readonly settleSeconds: number;
    /** Restart MSExchangeHM and settle before the first probe (the article, after enabling the proxy). */
    readonly restartFirst: boolean;
    /** After a failed probe: restart MSExchangeHM and settle again (re-verification), or only wait (onboarding). */
    readonly restartAfterFailure: boolean;
    /**
     * A key credential was registered in this run: a token error is Entra ID replicating it, waited out on
     * this schedule (KEY_REPLICATION_WAITS_SECONDS) without counting as a probe attempt. Absent: none.
     */
    readonly replicationWaitsSeconds?: readonly number[];
}

/** The probe's errors that mean the tenant does not trust the certificate (yet): ACS refused the token. */
export function isTokenError(error: string | null): boolean {
    return error !== null && /token|401|unauthori[sz]ed|key credential|AADSTS|ACS/i.test(error);
}

export interface ProbeOutcome {
    readonly succeeded: boolean;
    readonly attempts: number;
    readonly restarts: number;
    readonly lastError: string | null;
}

/**
 * The article's step 8 as a loop: restart MSExchangeHM, let it settle on a durable timer, run the
 * connectivity probe; a bounded number of attempts. Uses the steps restartHealthManager, settle, probe.
 */
export function* probeUntilSucceeded(context: OrchestrationContext, table: StepTable, options: ProbeOptions): Generator<Task, ProbeOutcome, unknown> {
    const { server, agent } = options;
    let restarts = 0;
    let lastError: string | null = null;

    function* restartAndSettle(): Generator<Task, void, unknown> {
        restarts++;
        const servers = nameServers(options.mailboxServers);
        table.start('restartHealthManager', `on ${servers}`);
        // As many agent calls as the agent-call budget needs (agent-call-budget.ts); a server that fails ends the step.
        const batches = options.mailboxServers.length === 0 ? [[]] : agentCallBatches(options.mailboxServers, 'fannedOut');
        for (const [index, batch] of batches.entries()) {
            const call = agent(batchStep(`restartHealthManager-${restarts}`, index, batches.length));
            unwrap(yield* callActivity(context, 'agentRestartHealthManager', { ...call, servers: batch }), 'restartHealthManager');
        }
        table.succeed('restartHealthManager', `restarted on ${servers}${restarts > 1 ? ` (${restarts} times)` : ''}`);
        table.start('settle', `${options.settleSeconds} s`);
        yield* sleep(context, options.settleSeconds);
        table.succeed('settle', `waited ${options.settleSeconds} s`);
    }

    if (options.restartFirst) yield* restartAndSettle();
    const replicationWaits = [...(options.replicationWaitsSeconds ?? [])];
    let probes = 0;
    for (let attempt = 1; attempt <= options.attempts; attempt++) {
        if (attempt > 1) {
            table.start('probe', `attempt ${attempt - 1} failed (${lastError ?? 'no error text'})`);
            if (options.restartAfterFailure) yield* restartAndSettle();
            else yield* sleep(context, Math.max(30, options.settleSeconds));
        }
        for (;;) {
            probes++;
            table.start('probe', `attempt ${attempt} of ${options.attempts} on ${server.fqdn}`);
            const probe = unwrap(yield* callActivity(context, 'agentInvokeProbe', { ...agent(`probe-${probes === attempt ? attempt : `${attempt}-${probes}`}`), server: server.name }), 'probe');
            if (probe.resultType === 'Succeeded') {
                table.succeed('probe', `Succeeded on attempt ${attempt}${probes > attempt ? ` after waiting for Entra ID to replicate the new key` : ''}`);
                return { succeeded: true, attempts: attempt, restarts, lastError: null };
            }
            lastError = probe.error;
            const wait = isTokenError(lastError) ? replicationWaits.shift() : undefined;
            if (wait === undefined) break;
            table.start('probe', `token refused right after the key was registered: waiting ${wait} s for Entra ID to replicate it (${lastError ?? ''})`);
            yield* sleep(context, wait);
        }
    }
    table.fail('probe', `failed ${options.attempts} times; last Error: ${lastError ?? '(none)'}`);
    return { succeeded: false, attempts: options.attempts, restarts, lastError };
}
