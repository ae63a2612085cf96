import * as df from 'durable-functions';
import { onboardTenant } from './onboard-tenant';

df.app.orchestration('onboardTenant', onboardTenant);
