import { appServices } from '../lib/app-services';
import { authServerMetadataUrl, cloudEndpoints, pushNotificationUri } from '../lib/clouds';
import { tenantInstanceId } from '../lib/contracts/tenant-domain';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'registryListTenants'> = ({ after, limit }) =>
    outcomeOf(async () => {
        const page = await (await appServices().registry()).listPage(after, limit);
        return {
            tenants: page.entries.map(({ record }) => ({
                record,
                authMetadataUrl: authServerMetadataUrl(cloudEndpoints(record.cloud), record.tenantDomain),
                pushNotificationUri: pushNotificationUri(cloudEndpoints(record.cloud)),
                instanceId: tenantInstanceId(record.tenantDomain),
            })),
            next: page.next,
        };
    });
