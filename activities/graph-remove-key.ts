import { appServices } from '../lib/app-services';
import { resolvedTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphRemoveKey'> = ({ keyTarget, objectId, keyId, thumbprint, owned }) =>
    outcomeOf(async () => {
        const result = await (await appServices().graph()).removeCredential(resolvedTarget(keyTarget, { objectId }), keyId, { thumbprint, owned });
        return { removed: result.status === 'removed', after: result.keptKeyIds };
    });
