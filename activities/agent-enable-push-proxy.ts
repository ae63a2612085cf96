import { appServices } from '../lib/app-services';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'agentEnablePushProxy'> = ({ hybridConnection, operationId, organization, uri }) =>
    outcomeOf(async () => {
        const { changed, app } = await appServices().agents().call('enablePushProxy', { organization, uri }, { hybridConnection, operationId });
        return {
            changed,
            app: { DisplayName: app.displayName, Enabled: app.enabled, Organization: app.organization, Uri: app.uri, Identity: app.identity },
        };
    });
