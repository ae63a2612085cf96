import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityOutput, AgentCall, InstallSource, PublicCertificate, ServerInstallReport } from '../lib/contracts/activities';
import type { InventoryView } from '../lib/contracts/inventory';
import type { OnboardTenantInput } from '../lib/contracts/onboarding';
import type { OnboardResult } from '../lib/contracts/onboarding-result';
import { certificateCreationPolling } from '../lib/contracts/retry-policies';
import { activityTask, all, callActivity, sleep } from './activity-calls';
import { chooseCertificate } from './onboarding/certificate-choice';
import { AUTH_SERVER_NAME, plannedChanges } from './onboarding/plan';
import { authServers, preflightProblems, probeServer } from './onboarding/preflight';
import { probeRemedy } from './onboarding/probe-remedy';
import { RunFailure, toRunError, unwrap } from './run-failure';
import { StepTable } from './step-table';

export const ONBOARD_STEPS = [
    { id: 'inventory', title: 'Read the Exchange organization' },
    { id: 'keyTarget', title: 'Find the key target in Entra ID' },
    { id: 'preflight', title: 'Preflight: builds, Mailbox server, accepted domain' },
    { id: 'certificate', title: 'OAuth certificate: reuse or create in Key Vault' },
    { id: 'install', title: 'Install the certificate on every server' },
    { id: 'authServer', title: `AuthServer ${AUTH_SERVER_NAME}` },
    { id: 'registerKey', title: 'Register the public key on the key target' },
    { id: 'authConfig', title: 'Set-AuthConfig current certificate' },
    { id: 'pushProxy', title: 'Enable-PushNotificationProxy' },
    { id: 'restartHealthManager', title: 'Restart MSExchangeHM' },
    { id: 'settle', title: 'Let the health manager settle' },
    { id: 'probe', title: 'Push notification connectivity probe' },
    { id: 'registry', title: 'Record the tenant in the registry' },
] as const;

type Op = Generator<Task, void, unknown>;

export function* onboardTenant(context: OrchestrationContext): Generator<Task, OnboardResult, unknown> {
    const input = context.df.getInput<OnboardTenantInput>();
    const table = new StepTable(context, 'onboardTenant', input.tenantDomain, ONBOARD_STEPS);
    try {
        return yield* onboard(context, input, table);
    } catch (error) {
        const runError = toRunError(error, table.current());
        table.failRun(runError);
        throw new RunFailure(runError);
    }
}

function* onboard(context: OrchestrationContext, input: OnboardTenantInput, table: StepTable): Generator<Task, OnboardResult, unknown> {
    const agent = (step: string): AgentCall => ({ hybridConnection: input.hybridConnection, operationId: `${input.runId}:${step}` });
    const graphScope = { cloud: input.cloud, tenantDomain: input.tenantDomain, ...(input.tenantId === undefined ? {} : { tenantId: input.tenantId }) };
    const changes: string[] = [];

    table.start('inventory');
    table.start('keyTarget');
    const [inventoryOutcome, keyTargetOutcome] = yield* all<[ActivityOutput<'agentInventory'>, ActivityOutput<'graphGetKeyTarget'>]>(context, [
        activityTask(context, 'agentInventory', agent('inventory')),
        activityTask(context, 'graphGetKeyTarget', { ...graphScope, keyTarget: input.keyTarget }),
    ]);
    const inventory = unwrap(inventoryOutcome, 'inventory');
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

    const choice = chooseCertificate(inventory, context.df.currentUtcDateTime.getTime(), input.renewalWindowDays);
    if (input.dryRun) {
        const planned = plannedChanges(input, inventory, keyTarget, choice);
        table.skipPending('dry run: nothing written');
        return { outcome: 'dryRun', tenantDomain: input.tenantDomain, instanceId: context.df.instanceId, runId: input.runId, plannedChanges: planned };
    }

    table.start('certificate', choice.kind === 'create' ? choice.reason : `reusing ${choice.certificate.thumbprint}`);
    table.start('authServer');
    const authServerTask = activityTask(context, 'agentEnsureAuthServer', { ...agent('authServer'), authMetadataUrl: input.authMetadataUrl });
    let certificate: PublicCertificate;
    let keyVaultName: string | null = null;
    let keyVaultVersion = '';
    let authServerOutcome: ActivityOutput<'agentEnsureAuthServer'>;
    if (choice.kind === 'create') {
        const startTask = activityTask(context, 'keyVaultStartCertificate', {
            tenantDomain: input.tenantDomain,
            dnsName: inventory.userDnsDomain,
            keySize: input.certificate.keySize,
            validityMonths: input.certificate.validityMonths,
        });
        const [started, authServerResult] = yield* all<[ActivityOutput<'keyVaultStartCertificate'>, ActivityOutput<'agentEnsureAuthServer'>]>(context, [startTask, authServerTask]);
        authServerOutcome = authServerResult;
        const { certificateName, status } = unwrap(started, 'certificate');
        keyVaultName = certificateName;
        yield* waitForCertificate(context, certificateName, status, table);
        const created = unwrap(yield* callActivity(context, 'keyVaultGetCertificate', { certificateName }), 'certificate');
        keyVaultVersion = created.version;
        certificate = { thumbprint: created.thumbprint, derBase64: created.derBase64, notBefore: created.notBefore, notAfter: created.notAfter };
        changes.push(`created certificate ${certificate.thumbprint} in Key Vault (${certificateName})`);
        table.succeed('certificate', `created ${certificate.thumbprint} in Key Vault, valid until ${certificate.notAfter}`);
    } else {
        const { thumbprint, derBase64, notBefore, notAfter } = choice.certificate;
        certificate = { thumbprint, derBase64, notBefore, notAfter };
        authServerOutcome = (yield authServerTask) as ActivityOutput<'agentEnsureAuthServer'>;
        table.succeed('certificate', `reusing ${thumbprint} (${choice.certificate.friendlyName}), valid until ${notAfter}`);
    }
    const authServer = unwrap(authServerOutcome, 'authServer');
    if (authServer.action !== 'unchanged') changes.push(`${authServer.action} AuthServer ${AUTH_SERVER_NAME}`);
    table.succeed('authServer', `${authServer.action}: ${input.authMetadataUrl}`);

    const source: InstallSource =
        choice.kind === 'create' ? { kind: 'keyVault', certificateName: keyVaultName ?? '', version: keyVaultVersion } : { kind: 'server', server: choice.sourceServer ?? '' };
    const installed = yield* install(context, inventory, certificate.thumbprint, source, agent('install'), table);
    if (installed.some((r) => r.action === 'imported')) changes.push(`installed ${certificate.thumbprint} on ${installed.filter((r) => r.action === 'imported').map((r) => r.server).join(', ')}`);

    table.start('registerKey');
    const registration = unwrap(
        yield* callActivity(context, 'graphRegisterKey', { ...graphScope, keyTarget: input.keyTarget, objectId: keyTarget.objectId, certificate }),
        'registerKey',
    );
    if (registration.added) changes.push(`registered key ${registration.keyId} on ${keyTarget.displayName}`);
    table.succeed(
        'registerKey',
        registration.added
            ? `added key ${registration.keyId}; all ${registration.before.length} existing key credentials kept`
            : `already registered as key ${registration.keyId}`,
    );

    if (inventory.authConfig.currentThumbprint === certificate.thumbprint) {
        table.skip('authConfig', `${certificate.thumbprint} is already the current certificate`);
    } else {
        table.start('authConfig');
        unwrap(
            yield* callActivity(context, 'agentSetAuthConfig', { ...agent('authConfig'), request: { action: 'setCurrent', thumbprint: certificate.thumbprint } }),
            'authConfig',
        );
        changes.push(`Set-AuthConfig current certificate ${certificate.thumbprint}`);
        table.succeed('authConfig', `current certificate is ${certificate.thumbprint}`);
    }

    table.start('pushProxy');
    const proxy = unwrap(yield* callActivity(context, 'agentEnablePushProxy', { ...agent('pushProxy'), organization: input.tenantDomain }), 'pushProxy');
    if (proxy.changed) changes.push(`enabled the push notification proxy for ${input.tenantDomain}`);
    table.succeed('pushProxy', proxy.changed ? `enabled for ${input.tenantDomain}` : `already enabled for ${input.tenantDomain}`);

    const probe = yield* restartSettleAndProbe(context, input, inventory, agent, table);

    table.start('registry');
    unwrap(
        yield* callActivity(context, 'registrySaveTenant', {
            tenantDomain: input.tenantDomain,
            tenantId: input.tenantId ?? null,
            cloud: input.cloud,
            keyTarget: input.keyTarget,
            hybridConnection: input.hybridConnection,
            reverifyMode: input.reverifyMode,
            certificate: { thumbprint: certificate.thumbprint, notAfter: certificate.notAfter, source: choice.kind === 'create' ? 'created' : 'reused', keyVaultName },
            keyCredentialId: registration.keyId,
            onboardedAt: context.df.currentUtcDateTime.toISOString(),
        }),
        'registry',
    );
    table.succeed('registry');

    return {
        outcome: 'succeeded',
        tenantDomain: input.tenantDomain,
        instanceId: context.df.instanceId,
        runId: input.runId,
        certificate: { thumbprint: certificate.thumbprint, notAfter: certificate.notAfter, source: choice.kind === 'create' ? 'created' : 'reused', keyVaultName },
        installed,
        authServer: authServer.action,
        keyCredentials: { keyId: registration.keyId, added: registration.added, before: registration.before, after: registration.after },
        probe,
        changes,
    };
}

/** Reads the pending Key Vault operation between durable timers; never blocks an activity. */
function* waitForCertificate(context: OrchestrationContext, certificateName: string, initial: 'pending' | 'completed', table: StepTable): Op {
    const policy = certificateCreationPolling;
    let status = initial;
    let wait: number = policy.firstWaitSeconds;
    let waited = 0;
    while (status === 'pending') {
        if (waited >= policy.maxTotalSeconds) {
            throw new RunFailure({
                step: 'certificate',
                code: 'keyvault_creation_timeout',
                message: `Key Vault did not finish creating ${certificateName} within ${policy.maxTotalSeconds} s`,
                remedy: 'Check the certificate operation in the Key Vault (Certificates > the certificate > Certificate operation); delete a failed operation, then start onboarding again.',
            });
        }
        table.start('certificate', `waiting for Key Vault to create ${certificateName} (${waited} s so far)`);
        yield* sleep(context, wait);
        waited += wait;
        wait = Math.min(Math.round(wait * policy.backoffCoefficient), policy.maxWaitSeconds);
        status = unwrap(yield* callActivity(context, 'keyVaultCheckCertificate', { certificateName }), 'certificate').status;
    }
}

function* install(
    context: OrchestrationContext,
    inventory: InventoryView,
    thumbprint: string,
    source: InstallSource,
    call: AgentCall,
    table: StepTable,
): Generator<Task, readonly ServerInstallReport[], unknown> {
    const holders = new Set(inventory.certificates.filter((s) => s.certificates.some((c) => c.thumbprint === thumbprint && c.hasPrivateKey)).map((s) => s.server));
    const missing = authServers(inventory)
        .map((s) => s.name)
        .filter((name) => !holders.has(name));
    if (missing.length === 0) {
        table.skip('install', `already on every server`);
        return [];
    }
    table.start('install', `installing ${thumbprint} on ${missing.join(', ')}`);
    const report = unwrap(yield* callActivity(context, 'agentInstallCertificate', { ...call, thumbprint, servers: missing, source }), 'install');
    const failed = report.servers.filter((r) => r.action === 'failed');
    if (failed.length > 0) {
        throw new RunFailure({
            step: 'install',
            code: 'install_failed',
            message: failed.map((r) => `${r.server}: ${r.detail ?? 'import failed'}`).join('; '),
            remedy: `Check that the agent's account can manage certificates on ${failed.map((r) => r.server).join(', ')}, then start onboarding again; servers that already have the certificate are skipped.`,
        });
    }
    table.succeed('install', report.servers.map((r) => `${r.server}: ${r.action}`).join(', '));
    return report.servers;
}

function* restartSettleAndProbe(
    context: OrchestrationContext,
    input: OnboardTenantInput,
    inventory: InventoryView,
    agent: (step: string) => AgentCall,
    table: StepTable,
): Generator<Task, { server: string; resultType: 'Succeeded'; attempts: number }, unknown> {
    const server = probeServer(inventory);
    if (!server) throw new RunFailure({ step: 'probe', code: 'no_mailbox_server', message: 'the organization has no Mailbox server to probe' });

    table.start('restartHealthManager', `on ${server.name}`);
    unwrap(yield* callActivity(context, 'agentRestartHealthManager', { ...agent('restartHealthManager'), server: server.name }), 'restartHealthManager');
    table.succeed('restartHealthManager', `restarted on ${server.name}`);

    table.start('settle', `${input.settleSeconds} s`);
    yield* sleep(context, input.settleSeconds);
    table.succeed('settle', `waited ${input.settleSeconds} s`);

    const reprobeWaitSeconds = Math.max(30, input.settleSeconds);
    let lastError: string | null = null;
    for (let attempt = 1; attempt <= input.probeAttempts; attempt++) {
        if (attempt > 1) {
            table.start('probe', `attempt ${attempt - 1} failed (${lastError ?? 'no error text'}); probing again in ${reprobeWaitSeconds} s`);
            yield* sleep(context, reprobeWaitSeconds);
        }
        table.start('probe', `attempt ${attempt} of ${input.probeAttempts} on ${server.fqdn}`);
        const probe = unwrap(yield* callActivity(context, 'agentInvokeProbe', { ...agent(`probe-${attempt}`), server: server.name }), 'probe');
        if (probe.resultType === 'Succeeded') {
            table.succeed('probe', `Succeeded on attempt ${attempt}`);
            return { server: server.name, resultType: 'Succeeded', attempts: attempt };
        }
        lastError = probe.error;
    }
    throw new RunFailure({
        step: 'probe',
        code: 'probe_failed',
        message: `the connectivity probe failed ${input.probeAttempts} times; last Error: ${lastError ?? '(none)'}`,
        remedy: probeRemedy(lastError),
    });
}
