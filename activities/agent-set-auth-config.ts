import { appServices } from '../lib/app-services';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'agentSetAuthConfig'> = ({ hybridConnection, operationId, request }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('setAuthConfig', request, { hybridConnection, operationId });
        return { changed: result.changed, authConfig: result.authConfig };
    });
