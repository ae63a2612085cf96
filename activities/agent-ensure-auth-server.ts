import { appServices } from '../lib/app-services';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('agentEnsureAuthServer', ({ hybridConnection, operationId, authMetadataUrl }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('ensureAuthServer', { authMetadataUrl }, { hybridConnection, operationId });
        return { action: result.action };
    }),
);
