import { EXIT } from './cli-io';
import { ONBOARD_FIELD_OPTIONS } from './onboard-request';
import { addOrganization, removeOrganization } from './organization-commands';
import type { PpoCommand } from './ppo-args';
import { followStartedRun, printJson, progressStream, type PpoContext } from './follow-run';
import { runStatusLines } from './run-status-report';
import { onboardVerdict, verifyVerdict } from './run-verdict';
import { tenantDetailLines, tenantListLines } from './tenant-report';

export type RunnableCommand = Exclude<PpoCommand, { readonly kind: 'help' }>;

/** The option or argument behind each field the API may refuse, per command. */
export const FIELD_OPTIONS: Readonly<Record<RunnableCommand['kind'], Readonly<Record<string, string>>>> = {
    onboard: ONBOARD_FIELD_OPTIONS,
    verify: { tenantDomain: '<tenantDomain>', 'body.mode': '--mode' },
    status: { instanceId: '<instanceId>' },
    tenants: {},
    tenant: { tenantDomain: '<tenantDomain>' },
    org: { 'body.name': '<name>', name: '<name>' },
};

function printLines(context: PpoContext, lines: readonly string[]): void {
    context.io.stdout.write(`${lines.join('\n')}\n`);
}

/** Runs one command against the API; API refusals surface as ApiError, for the caller to report. */
export async function executeCommand(command: RunnableCommand, context: PpoContext): Promise<number> {
    const base = context.api.target.baseUrl;
    switch (command.kind) {
        case 'onboard': {
            const dryRun = command.body.dryRun === true ? ' (dry run)' : '';
            progressStream(context).write(`Onboarding ${command.tenantDomain}${dryRun} through ${base} (hybrid connection ${command.body.agent.hybridConnection})\n`);
            const started = await context.api.startOnboarding(command.tenantDomain, command.body);
            return followStartedRun(context, started, command.wait, onboardVerdict);
        }
        case 'verify': {
            progressStream(context).write(`Verifying ${command.tenantDomain} (${command.body.mode ?? "the tenant's reverify"} mode) through ${base}\n`);
            const started = await context.api.startVerification(command.tenantDomain, command.body);
            return followStartedRun(context, started, command.wait, (run) => verifyVerdict(run, command.tenantDomain));
        }
        case 'status': {
            const run = await context.api.getRun(command.instanceId);
            if (context.json) printJson(context, run);
            else printLines(context, runStatusLines(run, context.io.stdout.isTTY === true));
            return EXIT.ok;
        }
        case 'tenants': {
            const list = await context.api.listTenants();
            if (context.json) printJson(context, list);
            else printLines(context, tenantListLines(list));
            return EXIT.ok;
        }
        case 'tenant': {
            const detail = await context.api.getTenant(command.tenantDomain);
            if (context.json) printJson(context, detail);
            else printLines(context, tenantDetailLines(detail, command.tenantDomain));
            return EXIT.ok;
        }
        case 'org':
            return command.action === 'add' ? addOrganization(context, command.name, command.out) : removeOrganization(context, command.name);
    }
}
