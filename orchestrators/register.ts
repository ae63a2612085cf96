import * as df from 'durable-functions';
import { onboardTenant } from './onboard-tenant';
import { reverifyAll } from './reverify-all';
import { reverifyTenant } from './reverify-tenant';

df.app.orchestration('onboardTenant', onboardTenant);
df.app.orchestration('reverifyTenant', reverifyTenant);
df.app.orchestration('reverifyAll', reverifyAll);
