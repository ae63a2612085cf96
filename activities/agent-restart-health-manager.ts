import { appServices } from '../lib/app-services';
import { PermanentError } from '../lib/errors';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('agentRestartHealthManager', ({ hybridConnection, operationId, server }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('restartHealthManager', { servers: [server] }, { hybridConnection, operationId });
        const entry = result.servers.find((s) => s.server.toLowerCase() === server.toLowerCase());
        if (!entry?.restarted || !entry.restartedAt) {
            throw new PermanentError('health_manager_restart_failed', `MSExchangeHM did not restart on ${server}: ${entry?.error ?? 'no report for that server'}`, {
                remedy: `Restart the "Microsoft Exchange Health Manager" service on ${server} by hand (Restart-Service MSExchangeHM) and check the agent account's rights on that server.`,
            });
        }
        return { restartedAt: entry.restartedAt };
    }),
);
