import type { LocalStack } from '../stack/local-stack';

export interface CertificateInServerStore {
    readonly thumbprint: string;
    readonly friendlyName: string;
}

export interface KeyCredentialSeen {
    readonly keyId: string;
    readonly displayName: string | null;
    readonly thumbprint: string;
}

export interface VaultCertificateSeen {
    readonly name: string;
    readonly version: string;
    readonly status: 'pending' | 'issued';
    readonly thumbprint: string | null;
    readonly notAfter: string | null;
}

/** What the demo shows of the simulated world at one moment: plain data, so that before and after can be compared. */
export interface WorldSnapshot {
    readonly exchange: {
        readonly servers: readonly { readonly name: string; readonly certificates: readonly CertificateInServerStore[] }[];
        readonly authConfigCurrentThumbprint: string | null;
        readonly authServers: readonly { readonly name: string; readonly authMetadataUrl: string | null; readonly enabled: boolean }[];
        readonly pushProxy: { readonly enabled: boolean; readonly organization: string | null };
        /** Invoke-MonitoringProbe runs so far. */
        readonly probesRun: number;
    };
    readonly entra: { readonly keyCredentials: readonly KeyCredentialSeen[] };
    readonly keyVault: { readonly certificates: readonly VaultCertificateSeen[] };
}

/** Reads the stand-ins' state (never through the product): the world as an administrator would inspect it. */
export function captureWorld(stack: Pick<LocalStack, 'scenario' | 'exchange' | 'cloud'>): WorldSnapshot {
    const { exchange, cloud } = stack;
    const proxy = exchange.pushProxyState();
    return {
        exchange: {
            servers: stack.scenario.exchange.servers.map((server) => ({
                name: server.name,
                certificates: exchange.certificatesOn(server.name).map(({ thumbprint, friendlyName }) => ({ thumbprint, friendlyName })),
            })),
            authConfigCurrentThumbprint: exchange.authConfig().currentThumbprint,
            authServers: exchange.authServers().map(({ name, authMetadataUrl, enabled }) => ({ name, authMetadataUrl, enabled })),
            pushProxy: { enabled: proxy.enabled, organization: proxy.organization },
            probesRun: exchange.commandLog().filter((command) => command.cmdlet === 'Invoke-MonitoringProbe').length,
        },
        entra: {
            keyCredentials: cloud.graph.keyTargetCredentials().map(({ keyId, displayName, thumbprint }) => ({ keyId, displayName, thumbprint })),
        },
        keyVault: {
            certificates: cloud.keyVault.certificates().flatMap((certificate) =>
                certificate.versions.map((version) => ({
                    name: certificate.name,
                    version: version.version,
                    status: version.status,
                    thumbprint: version.thumbprint ?? null,
                    notAfter: version.notAfter ?? null,
                })),
            ),
        },
    };
}
