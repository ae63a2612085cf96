import { appServices } from '../lib/app-services';
import { PermanentError } from '../lib/errors';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'agentRestartHealthManager'> = ({ hybridConnection, operationId, servers }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('restartHealthManager', { servers: [...servers] }, { hybridConnection, operationId });
        const failed = servers.filter((server) => !result.servers.some((s) => s.server.toLowerCase() === server.toLowerCase() && s.restarted));
        if (failed.length > 0) {
            const errors = failed.map((server) => `${server}: ${result.servers.find((s) => s.server.toLowerCase() === server.toLowerCase())?.error ?? 'no report'}`);
            throw new PermanentError('health_manager_restart_failed', `MSExchangeHM did not restart on ${errors.join('; ')}`, {
                remedy: `Restart the "Microsoft Exchange Health Manager" service on ${failed.join(', ')} by hand (Restart-Service MSExchangeHM) and check the agent account's rights there.`,
            });
        }
        // The latest instant, not the last string: "…:00Z" sorts after "…:00.5Z" as text, and the Durable extension
        // rewrites ISO-8601 strings in activity payloads to that shorter form.
        const times = result.servers.map((s) => s.restartedAt).filter((t): t is string => t !== null);
        const latest = times.reduce<string | undefined>((last, time) => (last === undefined || Date.parse(time) > Date.parse(last) ? time : last), undefined);
        return { restartedAt: latest ?? '' };
    });
