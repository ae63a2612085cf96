import type { KeyTargetSummary } from '../../lib/contracts/activities';
import type { InventoryView } from '../../lib/contracts/inventory';
import { findAuthServer, sameAuthMetadataUrl, samePushNotificationUri } from '../../lib/contracts/auth-server';
import type { OnboardTenantInput } from '../../lib/contracts/onboarding';
import type { PlannedStep } from '../../lib/contracts/onboarding-result';
import type { CertificateChoice } from './certificate-choice';
import { certificateHolders } from './certificate-holders';
import { nameServers } from '../server-names';
import { authServers, mailboxServers } from './preflight';

export const AUTH_SERVER_NAME = 'MicrosoftSts';

/**
 * What onboarding will do, decided once from the inventory and the key target: the dry run reports
 * it and the real run follows it, so that the plan is what a run then does.
 */
export interface OnboardingPlan {
    /** The steps after preflight, each to run or to skip, in the order of the step table. */
    readonly steps: readonly PlannedStep[];
    /** The changes a run would make, in words, in the order it makes them. */
    readonly changes: readonly string[];
    /** Servers the certificate is installed on (none when every server has it). */
    readonly installOn: readonly string[];
    /** Whether Set-AuthConfig must make the certificate current. */
    readonly setAuthConfig: boolean;
    /**
     * Where MSExchangeServiceHost is restarted and the OWA and ECP pools recycled after Set-AuthConfig: every
     * server that holds the certificate when the current certificate changes, none otherwise (a no-op re-onboarding).
     */
    readonly restartAuthServicesOn: readonly string[];
    /** Where MSExchangeHM is restarted before the probe: every Mailbox server, or none when nothing changes on premises. */
    readonly restartOn: readonly string[];
}

export function planOnboarding(input: OnboardTenantInput, inventory: InventoryView, keyTarget: KeyTargetSummary, choice: CertificateChoice): OnboardingPlan {
    const changes: string[] = [];
    const servers = authServers(inventory).map((s) => s.name);
    const thumbprint = choice.kind === 'reuse' ? choice.certificate.thumbprint : null;
    let installOn: readonly string[];
    let setAuthConfig: boolean;
    if (choice.kind === 'create') {
        installOn = servers;
        setAuthConfig = true;
        changes.push(`Create a ${input.certificate.keySize}-bit certificate for ${inventory.userDnsDomain} in Key Vault, valid ${input.certificate.validityMonths} months (${choice.reason})`);
        changes.push(`Install the new certificate on ${nameServers(servers)}`);
        changes.push(`Register its public key on ${keyTarget.displayName}, keeping the ${keyTarget.keyCredentials.length} existing key credentials`);
        changes.push('Set-AuthConfig -CertificateThumbprint <new certificate>');
    } else {
        installOn = certificateHolders(inventory, choice.certificate.thumbprint).missing;
        setAuthConfig = inventory.authConfig.currentThumbprint !== choice.certificate.thumbprint;
        if (installOn.length > 0) changes.push(`Copy certificate ${choice.certificate.thumbprint} from ${choice.sourceServer ?? '?'} to ${nameServers(installOn)}`);
        if (!keyTarget.keyCredentials.some((k) => k.thumbprint === choice.certificate.thumbprint)) {
            changes.push(`Register the public key of ${choice.certificate.thumbprint} on ${keyTarget.displayName}, keeping the ${keyTarget.keyCredentials.length} existing key credentials`);
        }
        if (setAuthConfig) changes.push(`Set-AuthConfig -CertificateThumbprint ${choice.certificate.thumbprint}`);
    }
    // Microsoft's procedure after a new current Auth certificate (learn.microsoft.com/exchange/plan-and-deploy/
    // integration-with-sharepoint-and-skype/maintain-oauth-certificate): Restart-Service MSExchangeServiceHost,
    // Restart-WebAppPool MSExchangeOWAAppPool and MSExchangeECPAppPool.
    const restartAuthServicesOn = setAuthConfig ? servers : [];
    if (restartAuthServicesOn.length > 0) changes.push(`Restart MSExchangeServiceHost and recycle MSExchangeOWAAppPool, MSExchangeECPAppPool on ${nameServers(restartAuthServicesOn)}`);
    const authServer = findAuthServer(inventory.authServers, AUTH_SERVER_NAME);
    const authServerChange = !authServer || !sameAuthMetadataUrl(authServer.authMetadataUrl, input.authMetadataUrl);
    if (!authServer) changes.push(`New-AuthServer ${AUTH_SERVER_NAME} -AuthMetadataUrl ${input.authMetadataUrl}`);
    else if (authServerChange) changes.push(`Set-AuthServer ${AUTH_SERVER_NAME} -AuthMetadataUrl ${input.authMetadataUrl} (was ${authServer.authMetadataUrl})`);
    const proxy = inventory.pushProxy;
    const proxyChange = !proxy?.enabled || proxy.organization?.toLowerCase() !== input.tenantDomain || !samePushNotificationUri(proxy.uri, input.pushNotificationUri);
    if (proxyChange) changes.push(`Enable-PushNotificationProxy -Organization ${input.tenantDomain} -Uri ${input.pushNotificationUri}`);

    // MSExchangeHM caches what it read on premises: restart it where anything there changes.
    const exchangeChanges = installOn.length > 0 || setAuthConfig || authServerChange || proxyChange;
    const restartOn = exchangeChanges ? mailboxServers(inventory) : [];
    if (restartOn.length > 0) changes.push(`Restart MSExchangeHM on ${nameServers(restartOn)}, wait ${input.settleSeconds} s, run the connectivity probe`);
    else changes.push('Run the connectivity probe (nothing changes on premises: no MSExchangeHM restart)');

    const run = (step: PlannedStep['step'], detail: string): PlannedStep => ({ step, action: 'run', detail });
    const skip = (step: PlannedStep['step'], detail: string): PlannedStep => ({ step, action: 'skip', detail });
    const steps: PlannedStep[] = [
        run('certificate', choice.kind === 'create' ? `create: ${choice.reason}` : `reuse ${thumbprint ?? ''}`),
        installOn.length > 0 ? run('install', `on ${nameServers(installOn)}`) : skip('install', 'already on every server'),
        run('authServer', authServer ? (authServerChange ? 'update' : 'unchanged') : 'create'),
        run('registerKey', 'idempotent by thumbprint'),
        setAuthConfig ? run('authConfig', 'make the certificate current') : skip('authConfig', 'already the current certificate'),
        restartAuthServicesOn.length > 0
            ? run('restartAuthServices', `on ${nameServers(restartAuthServicesOn)}`)
            : skip('restartAuthServices', 'the current Auth certificate does not change'),
        run('pushProxy', proxyChange ? 'enable' : 'already enabled'),
        restartOn.length > 0 ? run('restartHealthManager', `on ${nameServers(restartOn)}`) : skip('restartHealthManager', 'nothing changes on premises'),
        restartOn.length > 0 ? run('settle', `${input.settleSeconds} s`) : skip('settle', 'nothing changes on premises'),
        run('probe', 'the connectivity probe'),
        run('registry', 'record the tenant'),
    ];
    return { steps, changes, installOn, setAuthConfig, restartAuthServicesOn, restartOn };
}
