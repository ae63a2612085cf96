import { appServices } from '../lib/app-services';
import { summarizeKeyTarget } from './key-target';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'graphGetKeyTarget'> = ({ keyTarget }) =>
    outcomeOf(async () => {
        const graph = await appServices().graph();
        const target = await graph.findKeyTarget(keyTarget);
        return summarizeKeyTarget(target, await graph.readKeyCredentials(target));
    });
