import type { InstallSource, KeyTargetSummary } from '../../lib/contracts/activities';
import { findAuthServer, sameAuthMetadataUrl, samePushNotificationUri } from '../../lib/contracts/auth-server';
import { findCertificate, type CertificateView, type InventoryView } from '../../lib/contracts/inventory';
import type { ReverifyTenantInput } from '../../lib/contracts/reverify';
import { AUTH_SERVER_NAME } from '../onboarding/plan';
import { certificateHolders } from '../onboarding/certificate-holders';
import { authServers } from '../onboarding/preflight';
import { nameServers } from '../server-names';

const DAY_MS = 24 * 60 * 60 * 1000;

export type Finding<R> = { readonly state: 'ok'; readonly detail: string } | { readonly state: 'drifted'; readonly detail: string; readonly repair: R } | { readonly state: 'failed'; readonly detail: string };

export type Expiry = 'valid' | 'renewalDue' | 'expired';

/** What re-verification found, each with the repair onboarding would make. */
export interface Assessment {
    /** The certificate the tenant should sign with: the one the registry recorded. */
    readonly certificate: CertificateView | null;
    readonly authConfigCertificate: Finding<{ readonly thumbprint: string }>;
    readonly certificateOnServers: Finding<{ readonly servers: readonly string[]; readonly source: InstallSource }>;
    readonly keyCredential: Finding<{ readonly derBase64: string }>;
    readonly authServer: Finding<{ readonly authMetadataUrl: string }>;
    readonly pushProxy: Finding<{ readonly organization: string; readonly uri: string }>;
    readonly expiry: Expiry;
}

export function assess(input: ReverifyTenantInput, inventory: InventoryView, keyTarget: KeyTargetSummary, nowMs: number): Assessment {
    const recorded = input.record.certificate;
    const thumbprint = recorded.thumbprint;
    const certificate = findCertificate(inventory, thumbprint) ?? null;
    const { servers: holding, exportableOn, missing } = certificateHolders(inventory, thumbprint);
    const required = authServers(inventory).map((s) => s.name);

    const current = inventory.authConfig.currentThumbprint;
    const authConfigCertificate: Assessment['authConfigCertificate'] =
        current === thumbprint
            ? { state: 'ok', detail: `current certificate is ${thumbprint}` }
            : holding.length > 0 || recorded.keyVaultName !== null
              ? { state: 'drifted', detail: `current certificate is ${current ?? 'none'}, not ${thumbprint} as recorded`, repair: { thumbprint } }
              : { state: 'failed', detail: `current certificate is ${current ?? 'none'}; the recorded ${thumbprint} is on no server and not in Key Vault: onboard the tenant again` };

    const source: InstallSource | null =
        exportableOn.length > 0
            ? { kind: 'server', server: [...exportableOn].sort()[0] ?? '' }
            : recorded.keyVaultName !== null && recorded.keyVaultVersion !== null
              ? { kind: 'keyVault', certificateName: recorded.keyVaultName, version: recorded.keyVaultVersion, organizationGuid: input.record.organizationGuid ?? inventory.organization.guid }
              : null;
    const certificateOnServers: Assessment['certificateOnServers'] =
        missing.length === 0
            ? { state: 'ok', detail: `${thumbprint} with its private key on ${nameServers(required)}` }
            : source
              ? { state: 'drifted', detail: `${thumbprint} is missing on ${nameServers(missing)}`, repair: { servers: missing, source } }
              : { state: 'failed', detail: `${thumbprint} is missing on ${nameServers(missing)} and no exportable copy exists` };

    const credential = keyTarget.keyCredentials.find((k) => k.thumbprint === thumbprint);
    const credentialValid = credential !== undefined && (credential.endDateTime === null || Date.parse(credential.endDateTime) > nowMs);
    const body = certificate?.derBase64;
    const keyCredential: Assessment['keyCredential'] = credentialValid
        ? { state: 'ok', detail: `key ${credential.keyId} on ${keyTarget.displayName}` }
        : certificate && body !== undefined
          ? { state: 'drifted', detail: credential ? `key ${credential.keyId} for ${thumbprint} has expired` : `no key credential for ${thumbprint} on ${keyTarget.displayName}`, repair: { derBase64: body } }
          : { state: 'failed', detail: `no key credential for ${thumbprint}, and its public key cannot be read from any server` };

    const authServer = findAuthServer(inventory.authServers, AUTH_SERVER_NAME);
    const authServerFinding: Assessment['authServer'] =
        sameAuthMetadataUrl(authServer?.authMetadataUrl, input.authMetadataUrl)
            ? { state: 'ok', detail: authServer?.authMetadataUrl ?? input.authMetadataUrl }
            : { state: 'drifted', detail: authServer ? `AuthMetadataUrl is ${authServer.authMetadataUrl}` : `no ${AUTH_SERVER_NAME} AuthServer`, repair: { authMetadataUrl: input.authMetadataUrl } };

    const proxy = inventory.pushProxy;
    const tenant = input.record.tenantDomain;
    const uri = input.pushNotificationUri;
    const pushProxy: Assessment['pushProxy'] =
        proxy?.enabled && proxy.organization?.toLowerCase() === tenant && samePushNotificationUri(proxy.uri, uri)
            ? { state: 'ok', detail: `enabled for ${tenant} to ${uri}` }
            : {
                  state: 'drifted',
                  detail: proxy?.enabled ? `enabled for ${proxy.organization ?? 'no organization'} to ${proxy.uri ?? 'no URI'}` : 'disabled',
                  repair: { organization: tenant, uri },
              };

    const notAfter = Date.parse(certificate?.notAfter ?? recorded.notAfter);
    const expiry: Expiry = notAfter <= nowMs ? 'expired' : notAfter <= nowMs + input.settings.renewalWindowDays * DAY_MS ? 'renewalDue' : 'valid';

    return { certificate, authConfigCertificate, certificateOnServers, keyCredential, authServer: authServerFinding, pushProxy, expiry };
}
