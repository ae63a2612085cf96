import { appServices } from '../lib/app-services';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'agentEnsureAuthServer'> = ({ hybridConnection, operationId, authMetadataUrl }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('ensureAuthServer', { authMetadataUrl }, { hybridConnection, operationId });
        return { action: result.action };
    });
