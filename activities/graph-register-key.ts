import { appServices } from '../lib/app-services';
import { assertAllowedKeyTarget, resolvedTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphRegisterKey'> = ({ keyTarget, objectId, certificate }) =>
    outcomeOf(async () => {
        assertAllowedKeyTarget(keyTarget, appServices().settings.PPO_KEY_TARGET_APP_IDS);
        const result = await (await appServices().graph()).registerCertificate(resolvedTarget(keyTarget, { objectId }), certificate.derBase64);
        const added = result.status === 'added';
        // registerCertificate has already read the collection back and verified every kept credential.
        return { keyId: result.keyId, added, before: result.keptKeyIds, after: added ? [...result.keptKeyIds, result.keyId] : result.keptKeyIds };
    });
