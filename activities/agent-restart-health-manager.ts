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
        const times = result.servers.map((s) => s.restartedAt).filter((t): t is string => t !== null).sort();
        return { restartedAt: times.at(-1) ?? '' };
    });
