import * as df from 'durable-functions';
import { KEY_WRITER_ENTITY } from '../lib/contracts/key-writer';
import { keyCredentialWriter } from './key-writer/writer-entity';
import { onboardTenant } from './onboard-tenant';
import { reverifyAll } from './reverify-all';
import { reverifyTenant } from './reverify-tenant';

df.app.orchestration('onboardTenant', onboardTenant);
df.app.orchestration('reverifyTenant', reverifyTenant);
df.app.orchestration('reverifyAll', reverifyAll);
df.app.entity(KEY_WRITER_ENTITY, keyCredentialWriter);
