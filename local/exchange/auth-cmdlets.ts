import type { AuthConfigState, AuthServerState, SetAuthConfigParams, SetAuthConfigResult } from '../../lib/protocol';
import { exchangeFailure, type SimulatedOrganization } from './organization';

export function authConfigState(org: SimulatedOrganization): AuthConfigState {
    const { current, next, nextEffectiveMs, previous } = org.authConfig;
    return {
        currentThumbprint: current,
        nextThumbprint: next,
        nextEffectiveDate: nextEffectiveMs === null ? null : new Date(nextEffectiveMs).toISOString(),
        previousThumbprint: previous,
    };
}

function requireOnConnectedServer(org: SimulatedOrganization, thumbprint: string): void {
    const server = org.connectedServer();
    const stored = org.storeOf(server.name).get(thumbprint);
    if (stored === undefined || !stored.hasPrivateKey) {
        throw exchangeFailure(`The certificate with thumbprint ${thumbprint} was not found on server ${server.name} with its private key.`);
    }
}

/** Get-AuthConfig, then Set-AuthConfig with the switches the action needs, when it changes anything. */
export function setAuthConfig(org: SimulatedOrganization, params: SetAuthConfigParams, nowMs: number): SetAuthConfigResult {
    org.record('Get-AuthConfig', null, nowMs);
    const config = org.authConfig;
    let changed = false;
    switch (params.action) {
        case 'setCurrent':
            if (config.current !== params.thumbprint) {
                requireOnConnectedServer(org, params.thumbprint);
                org.record('Set-AuthConfig -CertificateThumbprint', null, nowMs);
                config.current = params.thumbprint;
                changed = true;
            }
            break;
        case 'stageNext': {
            const effectiveMs = Date.parse(params.effectiveDate);
            if (config.next !== params.thumbprint || config.nextEffectiveMs !== effectiveMs) {
                requireOnConnectedServer(org, params.thumbprint);
                org.record('Set-AuthConfig -NewCertificateThumbprint', null, nowMs);
                config.next = params.thumbprint;
                config.nextEffectiveMs = effectiveMs;
                changed = true;
            }
            break;
        }
        case 'publish':
            if (config.next === params.thumbprint) {
                org.record('Set-AuthConfig -PublishCertificate', null, nowMs);
                config.previous = config.current;
                config.current = config.next;
                config.next = null;
                config.nextEffectiveMs = null;
                changed = true;
            } else if (config.current !== params.thumbprint) {
                throw exchangeFailure(`Certificate ${params.thumbprint} is not the next AuthConfig certificate; stage it before publishing.`);
            }
            break;
        case 'clearPrevious':
            if (config.previous !== null) {
                org.record('Set-AuthConfig -ClearPreviousCertificate', null, nowMs);
                config.previous = null;
                changed = true;
            }
            break;
    }
    return { action: params.action, changed, authConfig: authConfigState(org) };
}

export function authServerStates(org: SimulatedOrganization): AuthServerState[] {
    // New-AuthServer -AuthMetadataUrl with an ACS metadata URL makes a MicrosoftACS AuthServer; EvoSts (AzureAD) ones come from the scenario.
    return [...org.authServers.values()].map((record) => ({ type: 'MicrosoftACS', applicationIdentifier: null, ...record }));
}
