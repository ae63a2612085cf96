import { appServices } from '../lib/app-services';
import { resolvedTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphRemoveKey'> = ({ keyTarget, objectId, keyId }) =>
    outcomeOf(async () => {
        const result = await (await appServices().graph()).removeCredential(resolvedTarget(keyTarget, { objectId }), keyId);
        return { removed: result.status === 'removed', after: result.keptKeyIds };
    });
