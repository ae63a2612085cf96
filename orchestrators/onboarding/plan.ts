import type { KeyTargetSummary } from '../../lib/contracts/activities';
import type { InventoryView } from '../../lib/contracts/inventory';
import { findAuthServer, sameAuthMetadataUrl, samePushNotificationUri } from '../../lib/contracts/auth-server';
import type { OnboardTenantInput } from '../../lib/contracts/onboarding';
import type { CertificateChoice } from './certificate-choice';
import { authServers, probeServer } from './preflight';

export const AUTH_SERVER_NAME = 'MicrosoftSts';

/** What a run would change, for dry runs: derived from the inventory and the key target alone. */
export function plannedChanges(input: OnboardTenantInput, inventory: InventoryView, keyTarget: KeyTargetSummary, choice: CertificateChoice): string[] {
    const changes: string[] = [];
    const servers = authServers(inventory).map((s) => s.name);
    if (choice.kind === 'create') {
        changes.push(`Create a ${input.certificate.keySize}-bit certificate for ${inventory.userDnsDomain} in Key Vault, valid ${input.certificate.validityMonths} months (${choice.reason})`);
        changes.push(`Install the new certificate on ${servers.join(', ')}`);
        changes.push(`Register its public key on ${keyTarget.displayName}, keeping the ${keyTarget.keyCredentials.length} existing key credentials`);
        changes.push('Set-AuthConfig -CertificateThumbprint <new certificate>');
    } else {
        const thumbprint = choice.certificate.thumbprint;
        if (choice.missingOn.length > 0) changes.push(`Copy certificate ${thumbprint} from ${choice.sourceServer ?? '?'} to ${choice.missingOn.join(', ')}`);
        if (!keyTarget.keyCredentials.some((k) => k.thumbprint === thumbprint)) {
            changes.push(`Register the public key of ${thumbprint} on ${keyTarget.displayName}, keeping the ${keyTarget.keyCredentials.length} existing key credentials`);
        }
        if (inventory.authConfig.currentThumbprint !== thumbprint) changes.push(`Set-AuthConfig -CertificateThumbprint ${thumbprint}`);
    }
    const authServer = findAuthServer(inventory.authServers, AUTH_SERVER_NAME);
    if (!authServer) changes.push(`New-AuthServer ${AUTH_SERVER_NAME} -AuthMetadataUrl ${input.authMetadataUrl}`);
    else if (!sameAuthMetadataUrl(authServer.authMetadataUrl, input.authMetadataUrl)) changes.push(`Set-AuthServer ${AUTH_SERVER_NAME} -AuthMetadataUrl ${input.authMetadataUrl} (was ${authServer.authMetadataUrl})`);
    const proxy = inventory.pushProxy;
    if (!proxy?.enabled || proxy.organization?.toLowerCase() !== input.tenantDomain || !samePushNotificationUri(proxy.uri, input.pushNotificationUri)) {
        changes.push(`Enable-PushNotificationProxy -Organization ${input.tenantDomain} -Uri ${input.pushNotificationUri}`);
    }
    changes.push(`Restart MSExchangeHM on ${probeServer(inventory)?.name ?? '?'}, wait ${input.settleSeconds} s, run the connectivity probe`);
    return changes;
}
