import { appServices } from '../lib/app-services';
import { assertAllowedKeyTarget, resolvedTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphRemoveKey'> = ({ keyTarget, objectId, keyId, thumbprint, owned, tenantId }) =>
    outcomeOf(async () => {
        assertAllowedKeyTarget(keyTarget, appServices().settings.PPO_KEY_TARGET_APP_IDS);
        const result = await (await appServices().graph(tenantId)).removeCredential(resolvedTarget(keyTarget, { objectId }), keyId, { thumbprint, owned });
        return { removed: result.status === 'removed', after: result.keptKeyIds };
    });
