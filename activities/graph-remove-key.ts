import { appServices } from '../lib/app-services';
import { assertAllowedKeyTarget, resolvedTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphRemoveKey'> = ({ keyTarget, objectId, keyId }) =>
    outcomeOf(async () => {
        assertAllowedKeyTarget(keyTarget, appServices().settings.PPO_KEY_TARGET_APP_IDS);
        const result = await (await appServices().graph()).removeCredential(resolvedTarget(keyTarget, { objectId }), keyId);
        return { removed: result.status === 'removed', after: result.keptKeyIds };
    });
