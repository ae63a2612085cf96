import { appServices } from '../lib/app-services';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('registrySaveTenant', (record) =>
    outcomeOf(async () => {
        await (await appServices().registry()).save(record);
        return null;
    }),
);
