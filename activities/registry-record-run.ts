import { appServices } from '../lib/app-services';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'registryRecordRun'> = (run) =>
    outcomeOf(async () => {
        await (await appServices().registry()).recordRun(run);
        return null;
    });
