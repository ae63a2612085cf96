import { appServices } from '../lib/app-services';
import { type ActivityHandler, outcomeOf } from './register-activity';

/**
 * Restarts what Microsoft's procedure restarts once the current Auth certificate changed. A server where it
 * failed is reported, not a failure of the run: Microsoft's own script treats these restarts as optional
 * ("it shouldn't become a problem if restarting the service or app pools fails": CSS-Exchange
 * Admin/MonitorExchangeAuthCertificate/ConfigurationAction/New-ExchangeAuthCertificate.ps1); the services
 * then pick the certificate up later, and the probe that follows says whether push works.
 */
export const handler: ActivityHandler<'agentRestartAuthServices'> = ({ hybridConnection, operationId, servers }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('restartAuthServices', { servers: [...servers] }, { hybridConnection, operationId });
        const reported = (server: string) => result.servers.find((s) => s.server.toLowerCase() === server.toLowerCase());
        return {
            restarted: servers.filter((server) => reported(server)?.restarted === true),
            failed: servers.filter((server) => reported(server)?.restarted !== true).map((server) => ({ server, error: reported(server)?.error ?? 'no report' })),
        };
    });
