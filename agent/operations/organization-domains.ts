import { PushProxyError } from '../../lib/errors';
import { trustedMetadataRealm, type EnablePushProxyParams, type EnsureAuthServerParams } from '../../lib/protocol';
import type { ExchangeShell } from '../exchange-shell';

/**
 * The tenant's initial domain from the Exchange hybrid routing domain an organization accepts
 * (`contoso.mail.onmicrosoft.com` -> `contoso.onmicrosoft.com`), per cloud's suffix: the hybrid
 * configuration wizard adds the routing domain as an accepted domain
 * (https://learn.microsoft.com/exchange/hybrid-deployment/hybrid-configuration-wizard).
 */
const ROUTING_DOMAIN = /^([a-z0-9-]+)\.mail\.(onmicrosoft\.com|onmicrosoft\.us|partner\.onmschina\.cn)$/;

/** The domains this organization may name: its accepted domains, plus its tenant's onmicrosoft domain. */
export function organizationDomains(acceptedDomains: readonly string[]): Set<string> {
    const domains = new Set<string>();
    for (const accepted of acceptedDomains) {
        const domain = accepted.toLowerCase();
        domains.add(domain);
        const routing = ROUTING_DOMAIN.exec(domain);
        if (routing) domains.add(`${routing[1]}.${routing[2]}`);
    }
    return domains;
}

function untrusted(message: string): PushProxyError {
    return new PushProxyError('untrusted_value', message);
}

async function domainsOf(shell: ExchangeShell): Promise<Set<string>> {
    return organizationDomains((await shell.inventory()).acceptedDomains.map((d) => d.domainName));
}

/**
 * The agent believes a signed request only for values the article defines for its own
 * organization (issue 15, finding 3): the shared secret alone must not point Exchange's OAuth trust
 * at another realm. The URL's form is checked by the protocol schema; the realm here, against the
 * accepted domains Exchange reports now.
 */
export async function checkAuthServerRealm(params: EnsureAuthServerParams, shell: ExchangeShell): Promise<void> {
    const realm = trustedMetadataRealm(params.authMetadataUrl);
    const domains = await domainsOf(shell);
    if (realm === null || !domains.has(realm)) {
        throw untrusted(`The AuthServer realm ${realm ?? '(none)'} is not an accepted domain of this organization (${[...domains].sort().join(', ')}); nothing was changed.`);
    }
}

export async function checkPushProxyOrganization(params: EnablePushProxyParams, shell: ExchangeShell): Promise<void> {
    const domains = await domainsOf(shell);
    if (!domains.has(params.organization.toLowerCase())) {
        throw untrusted(`The push proxy organization ${params.organization} is not an accepted domain of this organization (${[...domains].sort().join(', ')}); nothing was changed.`);
    }
}
