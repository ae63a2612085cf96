import { microsoftStsMetadataUrl, MICROSOFT_STS_NAME } from '../../lib/protocol';
import type { EntraKeyView } from '../scenario/world-links';
import type { SimulatedOrganization, SimulatedServer } from './organization';

/** The links the push notification probe depends on, in the order they are checked. */
export const PROBE_LINKS = [
    'serverReachable',
    'pushProxyEnabled',
    'healthManagerRestarted',
    'healthManagerSettled',
    'authConfigCertificate',
    'authServer',
    'entraKeyCredential',
] as const;

export type ProbeLink = (typeof PROBE_LINKS)[number];

export interface MissingLink {
    readonly link: ProbeLink;
    readonly error: string;
}

export interface ProbeWorld {
    readonly org: SimulatedOrganization;
    readonly entra: EntraKeyView;
    readonly tenantDomain: string;
    readonly authMetadataHost: string;
    /** The push notification service of the tenant's cloud. */
    readonly pushNotificationUri: string;
    readonly nowMs: number;
}

function lastRestart(org: SimulatedOrganization, server: SimulatedServer): number | undefined {
    return org.healthManagerRestarts.get(server.name.toLowerCase())?.at(-1);
}

/** The first missing link for a probe on `server`, or undefined when all hold. */
export function findMissingProbeLink(world: ProbeWorld, server: SimulatedServer): MissingLink | undefined {
    const { org, nowMs } = world;
    if (!server.reachable) return { link: 'serverReachable', error: `Server ${server.fqdn} did not answer.` };

    const proxy = org.pushProxy;
    if (!proxy.enabled || proxy.organization?.toLowerCase() !== world.tenantDomain.toLowerCase() || proxy.enabledAtMs === null) {
        return { link: 'pushProxyEnabled', error: `The push notification proxy is not enabled for organization ${world.tenantDomain} (Enable-PushNotificationProxy).` };
    }
    // The proxy relays to its app's Uri: another cloud's service does not know this tenant.
    if (proxy.uri.toLowerCase() !== world.pushNotificationUri.toLowerCase()) {
        return { link: 'pushProxyEnabled', error: `The push notification proxy relays to ${proxy.uri}, not to the tenant's cloud ${world.pushNotificationUri} (Enable-PushNotificationProxy -Uri).` };
    }
    const restartedAt = lastRestart(org, server);
    if (restartedAt === undefined || restartedAt < proxy.enabledAtMs) {
        return { link: 'healthManagerRestarted', error: `MSExchangeHM on ${server.name} has not been restarted since the push notification proxy was enabled; it still caches the disabled state.` };
    }
    const settleMs = org.scenario.healthManager.settleSeconds * 1000;
    if (nowMs - restartedAt < settleMs) {
        return { link: 'healthManagerSettled', error: `MSExchangeHM on ${server.name} restarted ${Math.round((nowMs - restartedAt) / 1000)} s ago and is still loading (needs ${settleMs / 1000} s).` };
    }

    const current = org.authConfig.current;
    const stored = current === null ? undefined : org.storeOf(server.name).get(current);
    if (current === null || stored === undefined || !stored.hasPrivateKey) {
        return {
            link: 'authConfigCertificate',
            error: current === null ? 'AuthConfig has no current certificate.' : `The current AuthConfig certificate ${current} is not on ${server.name} with its private key.`,
        };
    }
    if (stored.keyStorage === 'cng') {
        // Set-AuthConfig takes it, but Exchange signs its OAuth tokens only with a CryptoAPI key: Microsoft's own script
        // creates the Auth certificate with UseRSACryptoServiceProvider "as the certificate can't be used as Auth Certificate
        // otherwise" (CSS-Exchange Admin/MonitorExchangeAuthCertificate/ConfigurationAction/New-ExchangeAuthCertificate.ps1).
        return { link: 'authConfigCertificate', error: `The current AuthConfig certificate ${current} on ${server.name} has a CNG private key; Exchange cannot sign the OAuth token with it.` };
    }
    if (nowMs < stored.certificate.notBeforeMs || nowMs > stored.certificate.notAfterMs) {
        return { link: 'authConfigCertificate', error: `The current AuthConfig certificate ${current} is not valid now.` };
    }

    const expectedUrl = microsoftStsMetadataUrl(world.tenantDomain, world.authMetadataHost).toLowerCase();
    const sts = org.authServers.get(MICROSOFT_STS_NAME.toLowerCase());
    if (sts === undefined || !sts.enabled || sts.authMetadataUrl.toLowerCase() !== expectedUrl) {
        return {
            link: 'authServer',
            error: sts === undefined ? 'AuthServer MicrosoftSts does not exist.' : `AuthServer MicrosoftSts does not point at realm ${world.tenantDomain} (or is disabled).`,
        };
    }

    if (!world.entra.hasValidKeyCredential(stored.certificate.derBase64, nowMs)) {
        return { link: 'entraKeyCredential', error: `ACS rejected the token: the key target holds no valid key credential for certificate ${current}.` };
    }
    return undefined;
}
