import type { OrchestrationContext, Task } from 'durable-functions';
import type { AgentCall } from '../../lib/contracts/activities';
import { agentCallBatches, batchStep } from '../../lib/contracts/agent-call-budget';
import { callActivity } from '../activity-calls';
import { unwrap } from '../run-failure';
import { nameServers } from '../server-names';

/**
 * After the current Auth certificate changed (Set-AuthConfig -CertificateThumbprint, or -PublishCertificate):
 * what Microsoft's procedure restarts, on every server that holds the certificate. Returns the detail for the
 * step table; a server where it failed is named with what to run there, and the run goes on (the restarts
 * are optional in Microsoft's script; the probe after the health-manager settle says whether push works).
 * The servers go in as many agent calls as the agent-call budget needs (agent-call-budget.ts).
 */
export function* restartAuthServices(context: OrchestrationContext, call: AgentCall, servers: readonly string[], step: string): Generator<Task, string, unknown> {
    const batches = agentCallBatches(servers, 'fannedOut');
    const results = [];
    for (const [index, batch] of batches.entries()) {
        results.push(unwrap(yield* callActivity(context, 'agentRestartAuthServices', { ...call, operationId: batchStep(call.operationId, index, batches.length), servers: batch }), step));
    }
    const result = { restarted: results.flatMap((r) => r.restarted), failed: results.flatMap((r) => r.failed) };
    const done = result.restarted.length === 0 ? '' : `restarted MSExchangeServiceHost and recycled MSExchangeOWAAppPool, MSExchangeECPAppPool on ${nameServers(result.restarted)}`;
    const failed = result.failed.map(
        (f) => `not on ${f.server} (${f.error}): run there Restart-Service MSExchangeServiceHost; Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool`,
    );
    return [done, ...failed].filter((text) => text !== '').join('; ');
}
