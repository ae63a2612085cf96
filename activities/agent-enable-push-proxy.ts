import { appServices } from '../lib/app-services';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('agentEnablePushProxy', ({ hybridConnection, operationId, organization }) =>
    outcomeOf(async () => {
        const { changed, app } = await appServices().agents().call('enablePushProxy', { organization }, { hybridConnection, operationId });
        return {
            changed,
            app: { DisplayName: app.displayName, Enabled: app.enabled, Organization: app.organization, Uri: app.uri, Identity: app.identity },
        };
    }),
);
