import { appServices } from '../lib/app-services';
import { assertAllowedKeyTarget, summarizeKeyTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphGetKeyTarget'> = ({ keyTarget, tenantId }) =>
    outcomeOf(async () => {
        assertAllowedKeyTarget(keyTarget, appServices().settings.PPO_KEY_TARGET_APP_IDS);
        const graph = await appServices().graph(tenantId);
        const target = await graph.findKeyTarget(keyTarget);
        return summarizeKeyTarget(target, await graph.readKeyCredentials(target));
    });
