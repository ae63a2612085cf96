import { appServices } from '../lib/app-services';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'registrySaveTenant'> = (record) =>
    outcomeOf(async () => {
        await (await appServices().registry()).save(record);
        return null;
    });
