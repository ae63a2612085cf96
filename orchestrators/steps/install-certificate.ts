import type { OrchestrationContext, Task } from 'durable-functions';
import { serverInstallReports, type AgentCall, type InstallSource, type ServerInstallReport } from '../../lib/contracts/activities';
import { callActivity } from '../activity-calls';
import { RunFailure, unwrap } from '../run-failure';

/** Installs a certificate on the given servers through the agent; any server that fails ends the run. */
export function* installCertificate(
    context: OrchestrationContext,
    call: AgentCall,
    thumbprint: string,
    servers: readonly string[],
    source: InstallSource,
    step: string,
): Generator<Task, readonly ServerInstallReport[], unknown> {
    const report = unwrap(yield* callActivity(context, 'agentInstallCertificate', { ...call, thumbprint, servers, source }), step);
    const failed = report.failed;
    if (failed.length > 0) {
        throw new RunFailure({
            step,
            code: 'install_failed',
            message: failed.map((r) => `${r.server}: ${r.detail}`).join('; '),
            remedy: `Check that the agent's account can manage certificates on ${failed.map((r) => r.server).join(', ')}, then start the run again; servers that already have the certificate are skipped.`,
        });
    }
    return serverInstallReports(report);
}
