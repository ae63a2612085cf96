import type { OrchestrationContext, Task } from 'durable-functions';
import type { AgentCall, InstallOutcomes, InstallSource, InstalledOn } from '../../lib/contracts/activities';
import { agentCallBatches, batchStep } from '../../lib/contracts/agent-call-budget';
import { callActivity } from '../activity-calls';
import { RunFailure, unwrap } from '../run-failure';
import { nameServers } from '../server-names';

/**
 * Installs a certificate on the given servers through the agent, in as many calls as the agent-call
 * budget needs for an agent with `sessions` Exchange sessions (each imports its share one server after
 * the other: agent-call-budget.ts), one call after the other since each call already uses every
 * session; any server that fails ends the run, once every batch ran.
 */
export function* installCertificate(
    context: OrchestrationContext,
    call: AgentCall,
    thumbprint: string,
    servers: readonly string[],
    source: InstallSource,
    step: string,
    sessions = 1,
): Generator<Task, InstalledOn, unknown> {
    const batches = agentCallBatches(servers, 'oneAfterAnother', sessions);
    const reports: InstallOutcomes[] = [];
    for (const [index, batch] of batches.entries()) {
        const batchCall = { ...call, operationId: batchStep(call.operationId, index, batches.length) };
        reports.push(unwrap(yield* callActivity(context, 'agentInstallCertificate', { ...batchCall, thumbprint, servers: batch, source }), step));
    }
    const failed = reports.flatMap((r) => r.failed);
    if (failed.length > 0) {
        throw new RunFailure({
            step,
            code: 'install_failed',
            message: failed.map((r) => `${r.server}: ${r.detail}`).join('; '),
            remedy: `Check that the agent's account can manage certificates on ${failed.map((r) => r.server).join(', ')}, then start the run again; servers that already have the certificate are skipped.`,
        });
    }
    return { imported: reports.flatMap((r) => r.imported), present: reports.flatMap((r) => r.present) };
}

/** An install's detail for the step table: where it imported, where the certificate already was. */
export function describeInstall(installed: InstalledOn): string {
    return [
        installed.imported.length === 0 ? '' : `imported on ${nameServers(installed.imported)}`,
        installed.present.length === 0 ? '' : `already on ${nameServers(installed.present)}`,
    ]
        .filter((part) => part !== '')
        .join('; ');
}
