import { appServices } from '../lib/app-services';
import { summarizeKeyTarget } from './key-target';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('graphGetKeyTarget', ({ keyTarget }) =>
    outcomeOf(async () => {
        const graph = await appServices().graph();
        const target = await graph.findKeyTarget(keyTarget);
        return summarizeKeyTarget(target, await graph.readKeyCredentials(target));
    }),
);
