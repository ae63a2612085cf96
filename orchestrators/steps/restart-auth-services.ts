import type { OrchestrationContext, Task } from 'durable-functions';
import type { AgentCall } from '../../lib/contracts/activities';
import { callActivity } from '../activity-calls';
import { unwrap } from '../run-failure';

/**
 * After the current Auth certificate changed (Set-AuthConfig -CertificateThumbprint, or -PublishCertificate):
 * what Microsoft's procedure restarts, on every server that holds the certificate. Returns the detail for the
 * step table; a server where it failed is named with what to run there, and the run goes on (the restarts
 * are optional in Microsoft's script; the probe after the health-manager settle says whether push works).
 */
export function* restartAuthServices(context: OrchestrationContext, call: AgentCall, servers: readonly string[], step: string): Generator<Task, string, unknown> {
    const result = unwrap(yield* callActivity(context, 'agentRestartAuthServices', { ...call, servers }), step);
    const done = result.restarted.length === 0 ? '' : `restarted MSExchangeServiceHost and recycled MSExchangeOWAAppPool, MSExchangeECPAppPool on ${result.restarted.join(', ')}`;
    const failed = result.failed.map(
        (f) => `not on ${f.server} (${f.error}): run there Restart-Service MSExchangeServiceHost; Restart-WebAppPool MSExchangeOWAAppPool; Restart-WebAppPool MSExchangeECPAppPool`,
    );
    return [done, ...failed].filter((text) => text !== '').join('; ');
}
