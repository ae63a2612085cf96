import { appServices } from '../lib/app-services';
import { assertAllowedKeyTarget, resolvedTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphRegisterKey'> = ({ keyTarget, objectId, certificate, tenantId }) =>
    outcomeOf(async () => {
        assertAllowedKeyTarget(keyTarget, appServices().settings.PPO_KEY_TARGET_APP_IDS);
        const result = await (await appServices().graph(tenantId)).registerCertificate(resolvedTarget(keyTarget, { objectId }), certificate.derBase64);
        const added = result.status === 'added';
        // registerCertificate has already read the collection back and verified, by certificate, every kept credential
        // (a write re-creates them under new keyIds: before and after name the same certificates).
        return { keyId: result.keyId, added, before: result.keyIdsBefore, after: added ? [...result.keptKeyIds, result.keyId] : result.keptKeyIds };
    });
