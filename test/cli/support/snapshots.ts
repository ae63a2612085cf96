import type { RunView, StepView } from '../../../cli/run-api-schemas';
import type { WorldSnapshot } from '../../../local/cli/world-snapshot';

export const OLD_KEY = '11111111-aaaa-4bbb-8ccc-000000000001';
export const NEW_KEY = '22222222-aaaa-4bbb-8ccc-000000000002';
export const IIS = 'A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1A1';
export const OAUTH = 'B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2B2';
export const METADATA_URL = 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com';

/** The default scenario's world before onboarding. */
export const BEFORE: WorldSnapshot = {
    exchange: {
        servers: [
            { name: 'EX1', certificates: [{ thumbprint: IIS, friendlyName: 'Microsoft Exchange' }] },
            { name: 'EX2', certificates: [{ thumbprint: IIS, friendlyName: 'Microsoft Exchange' }] },
        ],
        authConfigCurrentThumbprint: null,
        authServers: [],
        pushProxy: { enabled: false, organization: null },
        probesRun: 0,
    },
    entra: { keyCredentials: [{ keyId: OLD_KEY, displayName: 'CN=Federation (hybrid wizard)', thumbprint: 'C3C3C3C3C3C3C3C3C3C3' }] },
    keyVault: { certificates: [] },
};

/** The same world after a complete onboarding. */
export const AFTER: WorldSnapshot = {
    exchange: {
        servers: BEFORE.exchange.servers.map((server) => ({ ...server, certificates: [...server.certificates, { thumbprint: OAUTH, friendlyName: 'Exchange S2S OAuth' }] })),
        authConfigCurrentThumbprint: OAUTH,
        authServers: [{ name: 'MicrosoftSts', authMetadataUrl: METADATA_URL, enabled: true }],
        pushProxy: { enabled: true, organization: 'contoso.com' },
        probesRun: 1,
    },
    entra: { keyCredentials: [...BEFORE.entra.keyCredentials, { keyId: NEW_KEY, displayName: 'CN=corp.contoso.com', thumbprint: OAUTH }] },
    keyVault: { certificates: [{ name: 'exo-oauth-contoso-com', version: 'v1', status: 'issued', thumbprint: OAUTH, notAfter: '2028-01-05T09:00:00.000Z' }] },
};

export function steps(states: Record<string, StepView['state']>): StepView[] {
    return Object.entries(states).map(([id, state]) => ({ id, title: id, state, detail: `${id} ${state}` }));
}

export function failedRun(failedStep: string, states: Record<string, StepView['state']>): RunView {
    return {
        instanceId: 'tenant-contoso.com',
        runtimeStatus: 'Failed',
        steps: steps(states),
        error: { step: failedStep, code: `${failedStep}_failed`, message: `${failedStep} went wrong`, remedy: 'fix it' },
        output: null,
    };
}
