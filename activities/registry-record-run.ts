import { appServices } from '../lib/app-services';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('registryRecordRun', (run) =>
    outcomeOf(async () => {
        await (await appServices().registry()).recordRun(run);
        return null;
    }),
);
