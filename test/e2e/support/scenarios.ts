import type { Scenario } from '../../../local/scenario/schema';
import type { StepState } from '../../../lib/contracts/steps';
import type { WorldState } from './world-state';

/** The step ids of onboardTenant, in the order of the step table (part of the API). */
export const STEP_IDS = [
    'inventory',
    'keyTarget',
    'preflight',
    'certificate',
    'install',
    'authServer',
    'registerKey',
    'authConfig',
    'restartAuthServices',
    'pushProxy',
    'restartHealthManager',
    'settle',
    'probe',
    'registry',
] as const;

export type StepId = (typeof STEP_IDS)[number];
export type StepStates = Readonly<Record<StepId, StepState>>;

function steps(overrides: Partial<Record<StepId, StepState>>, otherwise: StepState = 'succeeded'): StepStates {
    return Object.fromEntries(STEP_IDS.map((id) => [id, overrides[id] ?? otherwise])) as StepStates;
}

/** A scenario of test/scenarios and how onboarding must leave its world. */
export interface ScenarioCase {
    /** File name in test/scenarios, without .json. */
    readonly name: string;
    readonly runtimeStatus: 'Completed' | 'Failed';
    /** The OAuth certificate the run leaves current: "created" (in Key Vault) or the id of a reused scenario certificate. */
    readonly certificate: string | null;
    readonly steps: StepStates;
}

const ALL_SUCCEEDED = steps({});

export const SCENARIOS: readonly ScenarioCase[] = [
    { name: 'fresh-organization', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
    { name: 'already-onboarded', runtimeStatus: 'Completed', certificate: 'oauth', steps: steps({ install: 'skipped', authConfig: 'skipped', restartAuthServices: 'skipped', restartHealthManager: 'skipped', settle: 'skipped' }) },
    { name: 'auth-server-wrong-url', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
    { name: 'oauth-certificate-on-one-server', runtimeStatus: 'Completed', certificate: 'oauth', steps: ALL_SUCCEEDED },
    {
        name: 'server-below-cu3',
        runtimeStatus: 'Failed',
        certificate: null,
        steps: steps({ inventory: 'succeeded', keyTarget: 'succeeded', preflight: 'failed' }, 'pending'),
    },
    { name: 'probe-fails-twice', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
    { name: 'pre-existing-key-credentials', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
    { name: 'graph-throttling', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
    { name: 'slow-key-vault', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
    { name: 'relay-drop', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
    { name: 'agent-restart', runtimeStatus: 'Completed', certificate: 'created', steps: ALL_SUCCEEDED },
];

export function scenarioCase(name: string): ScenarioCase {
    const found = SCENARIOS.find((c) => c.name === name);
    if (found === undefined) throw new Error(`no scenario case ${name}`);
    return found;
}

export function tenantMetadataUrl(tenantDomain: string): string {
    return `https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=${tenantDomain}`;
}

/**
 * The world a scenario must end in, from the scenario file and the case: after a successful run,
 * the article's end state (the certificate on every Mailbox and Client Access server and current,
 * MicrosoftSts pointing at the tenant, the proxy enabled, the key registered next to every existing
 * credential); after a failed one, the world exactly as the scenario file describes it.
 */
export function expectedWorld(scenario: Scenario, scenarioCaseToCheck: ScenarioCase): WorldState {
    const done = scenarioCaseToCheck.runtimeStatus === 'Completed';
    const product = scenarioCaseToCheck.certificate;
    const exchange = scenario.exchange;
    const certificates: Record<string, string[]> = {};
    for (const server of exchange.servers) {
        const labels = [
            ...exchange.certificates.filter((c) => c.servers.includes(server.name)).map((c) => c.id),
            ...exchange.certificates.filter((c) => c.serversWithoutPrivateKey.includes(server.name)).map((c) => `${c.id} (no private key)`),
        ];
        const holdsKeys = server.roles.includes('Mailbox') || server.roles.includes('ClientAccess');
        if (done && product !== null && holdsKeys && !labels.includes(product)) labels.push(product);
        certificates[server.name] = labels.sort();
    }
    const stsUrl = tenantMetadataUrl(scenario.tenant.domain);
    const authServers = exchange.authServers.map((a) => ({ name: a.name, authMetadataUrl: done && a.name === 'MicrosoftSts' ? stsUrl : a.authMetadataUrl, enabled: a.enabled }));
    if (done && !authServers.some((a) => a.name === 'MicrosoftSts')) authServers.push({ name: 'MicrosoftSts', authMetadataUrl: stsUrl, enabled: true });
    const keyIds = scenario.entra.keyCredentials.map((k, index) => k.keyId ?? `(generated ${index})`);
    const alreadyRegistered = scenario.entra.keyCredentials.some((k) => k.certificate !== undefined && k.certificate === product);
    return {
        certificates,
        authConfigCurrent: done ? product : exchange.authConfig.currentCertificate,
        authServers,
        pushProxy: done ? { enabled: true, organization: scenario.tenant.domain } : { enabled: exchange.pushProxy.enabled, organization: exchange.pushProxy.organization },
        keyCredentials: done && product !== null && !alreadyRegistered ? [...keyIds, `new:${product}`] : keyIds,
        vaultVersions: done && product === 'created' ? 1 : 0,
        // Microsoft's procedure once the current Auth certificate changed, on every server that holds it; nothing when it stays.
        authServicesRestarted: Object.fromEntries(
            exchange.servers.map((server) => {
                const holdsKeys = server.roles.includes('Mailbox') || server.roles.includes('ClientAccess');
                const changed = done && product !== exchange.authConfig.currentCertificate;
                return [server.name, changed && holdsKeys ? ['MSExchangeServiceHost', 'MSExchangeOWAAppPool', 'MSExchangeECPAppPool'] : []];
            }),
        ),
    };
}
