import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityOutput, AgentCall, AuthServerAction, InstalledOn, InstallSource, PublicCertificate, TenantRecord } from '../lib/contracts/activities';
import { expandInventory } from '../lib/contracts/inventory';
import type { OnboardTenantInput } from '../lib/contracts/onboarding';
import type { OnboardResult } from '../lib/contracts/onboarding-result';
import { KEY_REPLICATION_WAITS_SECONDS } from '../lib/contracts/retry-policies';
import { activityTask, all, callActivity } from './activity-calls';
import { registerKeyCredential } from './key-writer/change-key-credentials';
import { chooseCertificate, confirmedChoice, reuseReason } from './onboarding/certificate-choice';
import { checkOrganizationBinding } from './onboarding/organization-binding';
import { AUTH_SERVER_NAME, planOnboarding } from './onboarding/plan';
import { mailboxServers, preflightProblems, probeServer } from './onboarding/preflight';
import { probeRemedy } from './onboarding/probe-remedy';
import type { RunError } from '../lib/contracts/steps';
import { RunFailure, toRunError, unwrap } from './run-failure';
import { StepTable } from './step-table';
import { nameServers } from './server-names';
import { describeInstall, installCertificate } from './steps/install-certificate';
import { probeUntilSucceeded } from './steps/probe';
import { restartAuthServices } from './steps/restart-auth-services';
import { waitForKeyVaultCertificate } from './steps/wait-for-key-vault';

export const ONBOARD_STEPS = [
    { id: 'inventory', title: 'Read the Exchange organization' },
    { id: 'keyTarget', title: 'Find the key target in Entra ID' },
    { id: 'preflight', title: 'Preflight: builds, Mailbox server, accepted domain' },
    { id: 'certificate', title: 'OAuth certificate: reuse or create in Key Vault' },
    { id: 'install', title: 'Install the certificate on every server' },
    { id: 'authServer', title: `AuthServer ${AUTH_SERVER_NAME}` },
    { id: 'registerKey', title: 'Register the public key on the key target' },
    { id: 'authConfig', title: 'Set-AuthConfig current certificate' },
    { id: 'restartAuthServices', title: 'Restart MSExchangeServiceHost, recycle the OWA and ECP pools' },
    { id: 'pushProxy', title: 'Enable-PushNotificationProxy' },
    { id: 'restartHealthManager', title: 'Restart MSExchangeHM' },
    { id: 'settle', title: 'Let the health manager settle' },
    { id: 'probe', title: 'Push notification connectivity probe' },
    { id: 'registry', title: 'Record the tenant in the registry' },
] as const;

/** What a run has done so far, kept for the record a failed run leaves. */
interface Progress {
    readonly changes: string[];
    /** Whether something changed on premises, which MSExchangeHM must be restarted to see. */
    exchangeChanged: boolean;
    /** The tenant's record as it stands, once the run has its certificate. */
    record: TenantRecord | null;
}

export function* onboardTenant(context: OrchestrationContext): Generator<Task, OnboardResult, unknown> {
    const input = context.df.getInput<OnboardTenantInput>();
    const table = new StepTable(context, 'onboardTenant', input.tenantDomain, ONBOARD_STEPS);
    const progress: Progress = { changes: [], exchangeChanged: false, record: null };
    try {
        return yield* onboard(context, input, table, progress);
    } catch (error) {
        const runError = toRunError(error, table.current());
        table.failRun(runError, progress.changes);
        yield* recordPartialOnboarding(context, progress, runError, input.runId);
        throw new RunFailure(runError);
    }
}

/**
 * A run that failed after changing something leaves the tenant partially onboarded: the registry
 * records it with what changed, so that re-verification looks at it and the administrator can
 * resume (onboard again) or undo. Recording is best effort: the run's own error is what it reports.
 */
function* recordPartialOnboarding(context: OrchestrationContext, progress: Progress, error: RunError, runId: string): Generator<Task, void, unknown> {
    if (progress.changes.length === 0 || progress.record === null || error.step === 'registry') return;
    const at = context.df.currentUtcDateTime.toISOString();
    const partial = { runId, instanceId: context.df.instanceId, at, error: { step: error.step, code: error.code, message: error.message }, changes: [...progress.changes] };
    try {
        yield* callActivity(context, 'registrySaveTenant', { ...progress.record, partial });
    } catch {
        // The step table and the error already say what happened; the registry stays as it was.
    }
}

function* onboard(context: OrchestrationContext, input: OnboardTenantInput, table: StepTable, progress: Progress): Generator<Task, OnboardResult, unknown> {
    const agent = (step: string): AgentCall => ({ hybridConnection: input.hybridConnection, operationId: `${input.runId}:${step}` });
    const graphScope = { cloud: input.cloud, tenantDomain: input.tenantDomain, ...(input.tenantId === undefined ? {} : { tenantId: input.tenantId }) };
    const changes = progress.changes;

    table.start('inventory');
    table.start('keyTarget');
    const [inventoryOutcome, keyTargetOutcome] = yield* all<[ActivityOutput<'agentInventory'>, ActivityOutput<'graphGetKeyTarget'>]>(context, [
        activityTask(context, 'agentInventory', agent('inventory')),
        activityTask(context, 'graphGetKeyTarget', { ...graphScope, keyTarget: input.keyTarget }),
    ], ['inventory', 'keyTarget']);
    const inventory = expandInventory(unwrap(inventoryOutcome, 'inventory'));
    checkOrganizationBinding(input.boundOrganizationGuid, inventory, input.tenantDomain, input.hybridConnection);
    const organizationGuid = inventory.organization.guid;
    table.succeed('inventory', `${inventory.servers.length} servers; USERDNSDOMAIN ${inventory.userDnsDomain}`);
    const keyTarget = unwrap(keyTargetOutcome, 'keyTarget');
    table.succeed('keyTarget', `${keyTarget.displayName} (${keyTarget.objectId}) with ${keyTarget.keyCredentials.length} key credentials`);

    table.start('preflight');
    const problems = preflightProblems(inventory, input.tenantDomain);
    if (problems.length > 0) {
        throw new RunFailure({
            step: 'preflight',
            code: 'preflight_failed',
            message: problems.join('; '),
            remedy: 'Fix each problem listed (update servers to Exchange 2013 CU3 or later, add the accepted domain, restore connectivity), then start onboarding again. Nothing was changed.',
        });
    }
    table.succeed('preflight', `${inventory.servers.length} servers at Exchange 2013 CU3 or later; ${input.tenantDomain} is accepted`);

    const choice = confirmedChoice(
        chooseCertificate(inventory, context.df.currentUtcDateTime.getTime(), input.renewalWindowDays),
        input.certificate.confirmThumbprint,
        keyTarget.keyCredentials.map((credential) => credential.thumbprint),
    );
    // One plan: the dry run reports it, the real run follows it.
    const plan = planOnboarding(input, inventory, keyTarget, choice);
    if (input.dryRun) {
        table.skipPending('dry run: nothing written');
        return { outcome: 'dryRun', tenantDomain: input.tenantDomain, instanceId: context.df.instanceId, runId: input.runId, plannedChanges: plan.changes, plan: plan.steps, requestedBy: input.requestedBy };
    }

    // AuthServer and the push proxy depend only on preflight (lib/contracts/onboarding-dependencies.ts):
    // they start with the certificate's creation (Key Vault, or the reuse) and are waited for with it.
    table.start('certificate', choice.kind === 'create' ? choice.reason : `reusing ${choice.certificate.thumbprint}`);
    table.start('authServer');
    table.start('pushProxy');
    const authServerTask = activityTask(context, 'agentEnsureAuthServer', { ...agent('authServer'), authMetadataUrl: input.authMetadataUrl });
    const pushProxyTask = activityTask(context, 'agentEnablePushProxy', { ...agent('pushProxy'), organization: input.tenantDomain, uri: input.pushNotificationUri });
    // Recorded as soon as both finished, so the step table and the changes follow what happened when.
    let authServerAction: AuthServerAction = 'unchanged';
    const recordAlongside = (authServerOutcome: ActivityOutput<'agentEnsureAuthServer'>, pushProxyOutcome: ActivityOutput<'agentEnablePushProxy'>): void => {
        const authServer = unwrap(authServerOutcome, 'authServer');
        authServerAction = authServer.action;
        if (authServer.action !== 'unchanged') {
            changes.push(`${authServer.action} AuthServer ${AUTH_SERVER_NAME}`);
            progress.exchangeChanged = true;
        }
        table.succeed('authServer', `${authServer.action}: ${input.authMetadataUrl}`);
        const proxy = unwrap(pushProxyOutcome, 'pushProxy');
        if (proxy.changed) {
            changes.push(`enabled the push notification proxy for ${input.tenantDomain} to ${input.pushNotificationUri}`);
            progress.exchangeChanged = true;
        }
        table.succeed('pushProxy', `${proxy.changed ? 'enabled' : 'already enabled'} for ${input.tenantDomain} to ${input.pushNotificationUri}`);
    };
    let certificate: PublicCertificate;
    let keyVaultName: string | null = null;
    let keyVaultVersion = '';
    if (choice.kind === 'create') {
        const creationRequestedAt = context.df.currentUtcDateTime;
        const startTask = activityTask(context, 'keyVaultStartCertificate', {
            tenantDomain: input.tenantDomain,
            organizationGuid,
            dnsName: inventory.userDnsDomain,
            keySize: input.certificate.keySize,
            validityMonths: input.certificate.validityMonths,
        });
        // All three at once, and all three finished before anything else is scheduled: a retryable call left
        // in flight (Task.any) while the orchestration goes on made its replay non-deterministic under faults.
        const [started, authServerResult, pushProxyResult] = yield* all<[ActivityOutput<'keyVaultStartCertificate'>, ActivityOutput<'agentEnsureAuthServer'>, ActivityOutput<'agentEnablePushProxy'>]>(
            context,
            [startTask, authServerTask, pushProxyTask],
            ['certificate', 'authServer', 'pushProxy'],
        );
        recordAlongside(authServerResult, pushProxyResult);
        const { certificateName, status } = unwrap(started, 'certificate');
        keyVaultName = certificateName;
        yield* waitForKeyVaultCertificate(context, certificateName, status, table, 'certificate', creationRequestedAt);
        const created = unwrap(yield* callActivity(context, 'keyVaultGetCertificate', { certificateName }), 'certificate');
        keyVaultVersion = created.version;
        certificate = { thumbprint: created.thumbprint, derBase64: created.derBase64, notBefore: created.notBefore, notAfter: created.notAfter };
        changes.push(`created certificate ${certificate.thumbprint} in Key Vault (${certificateName})`);
        // The reason first: the status cuts a detail at 160 characters, and the validity is in the output.
        table.succeed('certificate', `created ${certificate.thumbprint} in Key Vault: ${choice.reason}`);
    } else {
        const { thumbprint, notBefore, notAfter, derBase64 } = choice.certificate;
        if (derBase64 === undefined) throw new RunFailure({ step: 'certificate', code: 'certificate_body_missing', message: `the inventory lists ${thumbprint} but not its public certificate` });
        certificate = { thumbprint, derBase64, notBefore, notAfter };
        const [authServerResult, pushProxyResult] = yield* all<[ActivityOutput<'agentEnsureAuthServer'>, ActivityOutput<'agentEnablePushProxy'>]>(context, [authServerTask, pushProxyTask], ['authServer', 'pushProxy']);
        recordAlongside(authServerResult, pushProxyResult);
        table.succeed('certificate', `reusing ${thumbprint}: ${reuseReason(choice.certificate, inventory.userDnsDomain)}`);
    }
    const now = context.df.currentUtcDateTime.toISOString();
    progress.record = {
        tenantDomain: input.tenantDomain,
        tenantId: input.tenantId ?? null,
        cloud: input.cloud,
        keyTarget: input.keyTarget,
        hybridConnection: input.hybridConnection,
        organizationGuid,
        reverifyMode: input.reverifyMode,
        certificate: {
            thumbprint: certificate.thumbprint,
            notAfter: certificate.notAfter,
            source: choice.kind === 'create' ? 'created' : 'reused',
            keyVaultName,
            keyVaultVersion: keyVaultName === null ? null : keyVaultVersion,
        },
        keyCredentialId: null,
        onboardedAt: now,
        lastRunAt: now,
        requestedBy: input.requestedBy,
    };

    const source: InstallSource =
        choice.kind === 'create' ? { kind: 'keyVault', certificateName: keyVaultName ?? '', version: keyVaultVersion, organizationGuid } : { kind: 'server', server: choice.sourceServer ?? '' };
    const missing = plan.installOn;
    let installed: InstalledOn = { imported: [], present: [] };
    if (missing.length === 0) {
        table.skip('install', 'already on every server');
    } else {
        table.start('install', `installing ${certificate.thumbprint} on ${nameServers(missing)}`);
        installed = yield* installCertificate(context, agent('install'), certificate.thumbprint, missing, source, 'install', inventory.exchangeSessions);
        table.succeed('install', describeInstall(installed));
    }
    if (installed.imported.length > 0) {
        changes.push(`installed ${certificate.thumbprint} on ${nameServers(installed.imported)}`);
        progress.exchangeChanged = true;
    }

    table.start('registerKey');
    const registration = unwrap(
        yield* registerKeyCredential(context, { ...graphScope, keyTarget: input.keyTarget, objectId: keyTarget.objectId }, certificate),
        'registerKey',
    );
    if (registration.added) changes.push(`registered key ${registration.keyId} on ${keyTarget.displayName}`);
    progress.record = { ...progress.record, keyCredentialId: registration.keyId };
    table.succeed(
        'registerKey',
        registration.added
            ? `added key ${registration.keyId}; all ${registration.before.length} existing key credentials kept`
            : `already registered as key ${registration.keyId}`,
    );

    if (!plan.setAuthConfig) {
        table.skip('authConfig', `${certificate.thumbprint} is already the current certificate`);
    } else {
        table.start('authConfig');
        unwrap(
            yield* callActivity(context, 'agentSetAuthConfig', { ...agent('authConfig'), request: { action: 'setCurrent', thumbprint: certificate.thumbprint } }),
            'authConfig',
        );
        changes.push(`Set-AuthConfig current certificate ${certificate.thumbprint}`);
        progress.exchangeChanged = true;
        table.succeed('authConfig', `current certificate is ${certificate.thumbprint}`);
    }
    if (plan.restartAuthServicesOn.length === 0) {
        table.skip('restartAuthServices', 'the current Auth certificate did not change');
    } else {
        table.start('restartAuthServices', `on ${nameServers(plan.restartAuthServicesOn)}`);
        const restarted = yield* restartAuthServices(context, agent('restartAuthServices'), plan.restartAuthServicesOn, 'restartAuthServices');
        changes.push(restarted);
        table.succeed('restartAuthServices', restarted);
    }

    const server = probeServer(inventory);
    if (!server) throw new RunFailure({ step: 'probe', code: 'no_mailbox_server', message: 'the organization has no Mailbox server to probe' });
    const probed = yield* probeUntilSucceeded(context, table, {
        server,
        mailboxServers: mailboxServers(inventory),
        agent,
        attempts: input.probeAttempts,
        settleSeconds: input.settleSeconds,
        // The article restarts MSExchangeHM after enabling the proxy; when nothing changed on premises it has nothing new to see.
        // The plan decides; a change the plan did not foresee (someone else changed Exchange meanwhile) restarts it too.
        restartFirst: plan.restartOn.length > 0 || progress.exchangeChanged,
        restartAfterFailure: !(plan.restartOn.length > 0 || progress.exchangeChanged),
        ...(registration.added ? { replicationWaitsSeconds: KEY_REPLICATION_WAITS_SECONDS } : {}),
    });
    if (probed.restarts === 0) {
        table.skip('restartHealthManager', 'not needed: nothing changed on premises');
        table.skip('settle', 'not needed: nothing changed on premises');
    }
    if (!probed.succeeded) {
        throw new RunFailure({
            step: 'probe',
            code: 'probe_failed',
            message: `the connectivity probe failed ${probed.attempts} times; last Error: ${probed.lastError ?? '(none)'}`,
            remedy: probeRemedy(probed.lastError),
        });
    }
    const probe = { server: server.name, resultType: 'Succeeded' as const, attempts: probed.attempts };

    table.start('registry');
    const at = context.df.currentUtcDateTime.toISOString();
    unwrap(yield* callActivity(context, 'registrySaveTenant', { ...progress.record, onboardedAt: at, lastRunAt: at }), 'registry');
    table.succeed('registry');

    return {
        outcome: 'succeeded',
        tenantDomain: input.tenantDomain,
        instanceId: context.df.instanceId,
        runId: input.runId,
        certificate: {
            thumbprint: certificate.thumbprint,
            notAfter: certificate.notAfter,
            source: choice.kind === 'create' ? 'created' : 'reused',
            keyVaultName,
            reason: choice.kind === 'create' ? choice.reason : reuseReason(choice.certificate, inventory.userDnsDomain),
        },
        installed,
        authServer: authServerAction,
        keyCredentials: { keyId: registration.keyId, added: registration.added, before: registration.before, after: registration.after },
        probe,
        changes,
        requestedBy: input.requestedBy,
    };
}
