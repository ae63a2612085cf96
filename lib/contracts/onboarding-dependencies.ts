/**
 * Which steps of an onboarding truly depend on which (issue 16, B1), declared once and independent
 * of the order onboardTenant happens to run them in: the benchmark's lower bound is the longest
 * path through this graph, and a test fails when the orchestrator waits for a step not listed here.
 * The onboarding of an organization without an OAuth certificate (the certificate is created).
 *
 * Why each edge:
 * - preflight reads the inventory and the key target: nothing is written before it passes.
 * - the certificate is created for USERDNSDOMAIN (inventory) once preflight passed.
 * - install needs the certificate; the key is registered only for a certificate installed on every
 *   server (an invariant the fault tests check: no key for a certificate that is not installed).
 * - Set-AuthConfig publishes a certificate that every server holds and Entra ID trusts.
 * - a new Auth certificate is followed by MSExchangeServiceHost and the OWA/ECP pools (Microsoft's
 *   procedure), and MSExchangeHM is restarted after everything it reads changed: those, AuthServer, push proxy.
 * - settle waits after the restart (the article's 120 s); the probe runs after it; the registry last.
 * - AuthServer and the push proxy depend only on preflight: they run alongside the certificate.
 */
export interface OnboardingDependency {
    /** A step of the onboarding's step table. */
    readonly step: string;
    /** What the step spends its time on. */
    readonly kind: 'agent' | 'graph' | 'keyVaultCreation' | 'settle' | 'decision' | 'registry';
    /** Steps that must have finished before this one starts. */
    readonly after: readonly string[];
    /** The activities the step runs, the first starting it (none for a decision or a wait on the durable clock). */
    readonly activities?: readonly string[];
    /** The durable entity the step's first message goes to, when it starts there rather than with its first activity. */
    readonly entity?: string;
}

export const ONBOARDING_DEPENDENCIES: readonly OnboardingDependency[] = [
    { step: 'inventory', kind: 'agent', after: [], activities: ['agentInventory'] },
    { step: 'keyTarget', kind: 'graph', after: [], activities: ['graphGetKeyTarget'] },
    { step: 'preflight', kind: 'decision', after: ['inventory', 'keyTarget'] },
    { step: 'certificate', kind: 'keyVaultCreation', after: ['preflight'], activities: ['keyVaultStartCertificate', 'keyVaultCheckCertificate', 'keyVaultGetCertificate'] },
    { step: 'authServer', kind: 'agent', after: ['preflight'], activities: ['agentEnsureAuthServer'] },
    { step: 'pushProxy', kind: 'agent', after: ['preflight'], activities: ['agentEnablePushProxy'] },
    { step: 'install', kind: 'agent', after: ['certificate'], activities: ['agentInstallCertificate'] },
    // Through the key target's writer (orchestrators/key-writer): queued with the entity, then applied by an activity.
    { step: 'registerKey', kind: 'graph', after: ['install'], activities: ['graphApplyKeyChanges'], entity: 'keyCredentialWriter' },
    { step: 'authConfig', kind: 'agent', after: ['install', 'registerKey'], activities: ['agentSetAuthConfig'] },
    { step: 'restartAuthServices', kind: 'agent', after: ['authConfig'], activities: ['agentRestartAuthServices'] },
    { step: 'restartHealthManager', kind: 'agent', after: ['restartAuthServices', 'authServer', 'pushProxy'], activities: ['agentRestartHealthManager'] },
    { step: 'settle', kind: 'settle', after: ['restartHealthManager'] },
    { step: 'probe', kind: 'agent', after: ['settle'], activities: ['agentInvokeProbe'] },
    { step: 'registry', kind: 'registry', after: ['probe'], activities: ['registrySaveTenant'] },
];
