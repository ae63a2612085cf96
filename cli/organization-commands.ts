import { resolve } from 'node:path';
import { CliUsageError } from './usage-error';
import { EXIT } from './cli-io';
import { printJson, progressStream, type PpoContext } from './follow-run';
import type { EnrolledOrganization } from './ppo-api-schemas';
import { createSecretFile, type SecretFile } from './secret-file';

/** The part of the agent's configuration file (agent/config.ts) enrollment answers; the administrator adds dataFolder. */
function agentConfigurationText(enrolled: EnrolledOrganization): string {
    return `${JSON.stringify(enrolled.agentConfiguration, null, 2)}\n`;
}

async function openOut(path: string): Promise<SecretFile> {
    try {
        return await createSecretFile(path);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') throw new CliUsageError(`--out ${path} exists: ppo writes the agent configuration only to a new file`);
        throw new CliUsageError(`--out ${path} cannot be created: ${(error as Error).message}`);
    }
}

/**
 * ppo org add: the answer holds the agent's Listen key and shared secret, and the API gives it only
 * once. The --out file is created before the call (so that a bad path loses no answer) and filled
 * after; without --out the configuration goes to stdout. Progress lines never carry a secret.
 */
export async function addOrganization(context: PpoContext, name: string, out: string | undefined): Promise<number> {
    const file = out === undefined ? undefined : await openOut(resolve(context.io.cwd, out));
    const progress = out === undefined ? context.io.stderr : progressStream(context);
    progress.write(`Enrolling organization ${name} through ${context.api.target.baseUrl}\n`);
    let enrolled: EnrolledOrganization;
    try {
        enrolled = await context.api.enrollOrganization(name);
    } catch (error) {
        await file?.discard();
        throw error;
    }
    const { relay } = enrolled.agentConfiguration;
    const summary = `Enrolled ${enrolled.organization}: hybrid connection ${relay.hybridConnection}, Listen rule ${relay.listenRuleName}, namespace ${relay.namespace}.`;
    if (file === undefined) {
        progress.write(`${summary}\nThe agent configuration follows on stdout, shown only this once: keep it as the deployment guide says.\n`);
        if (context.json) printJson(context, enrolled);
        else context.io.stdout.write(agentConfigurationText(enrolled));
        return EXIT.ok;
    }
    await file.write(agentConfigurationText(enrolled));
    progress.write(`${summary}\nThe agent configuration (Listen key and shared secret) is in ${resolve(context.io.cwd, out ?? '')}, readable only by you; the API does not show it again.\n`);
    if (context.json) printJson(context, { organization: enrolled.organization, relay: { namespace: relay.namespace, hybridConnection: relay.hybridConnection, listenRuleName: relay.listenRuleName }, out: resolve(context.io.cwd, out ?? '') });
    return EXIT.ok;
}

/** ppo org remove: revokes the organization; "absent" when there was nothing to remove. */
export async function removeOrganization(context: PpoContext, name: string): Promise<number> {
    progressStream(context).write(`Removing organization ${name} through ${context.api.target.baseUrl}\n`);
    const removed = await context.api.removeOrganization(name);
    if (context.json) printJson(context, removed);
    else context.io.stdout.write(removed.outcome === 'removed' ? `Removed ${removed.organization}: its hybrid connection, Listen rule and agent secret are gone; its agent is cut off.\n` : `No organization ${removed.organization}: nothing to remove.\n`);
    return EXIT.ok;
}
