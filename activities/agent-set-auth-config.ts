import { appServices } from '../lib/app-services';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('agentSetAuthConfig', ({ hybridConnection, operationId, request }) =>
    outcomeOf(async () => {
        const result = await appServices().agents().call('setAuthConfig', request, { hybridConnection, operationId });
        return { changed: result.changed, authConfig: result.authConfig };
    }),
);
