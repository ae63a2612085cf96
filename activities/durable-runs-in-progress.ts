import * as df from 'durable-functions';
import { findRun, isActive } from '../functions/http/run-view';
import { type ActivityHandler, outcomeOf } from './register-activity';

/** Reads each instance's status through the durable client (the activity's durableClient input); read-only, so safe to repeat. */
export const handler: ActivityHandler<'durableRunsInProgress'> = ({ instanceIds }, context) =>
    outcomeOf(async () => {
        const client = df.getClient(context);
        const statuses = await Promise.all(instanceIds.map(async (instanceId) => ({ instanceId, status: await findRun(client, instanceId) })));
        return { inProgress: statuses.filter(({ status }) => status !== undefined && isActive(status)).map(({ instanceId }) => instanceId) };
    });
