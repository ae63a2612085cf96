import type { OrchestrationContext, Task } from 'durable-functions';
import type { ActivityOutput, AgentCall, KeyTargetSummary, TenantRecord } from '../lib/contracts/activities';
import { expandInventory, type InventoryView } from '../lib/contracts/inventory';
import type { CheckResult, ReverifyOutcome, ReverifyResult, ReverifyTenantInput, RotationReport } from '../lib/contracts/reverify';
import { activityTask, all, callActivity } from './activity-calls';
import { registerKeyCredential } from './key-writer/change-key-credentials';
import { authServers, mailboxServers, probeServer } from './onboarding/preflight';
import { assess, type Assessment, type Finding } from './reverify/assess';
import { rotateCertificate } from './reverify/rotate';
import { checkOrganizationBinding } from './onboarding/organization-binding';
import { RunFailure, toRunError, unwrap } from './run-failure';
import { StepTable } from './step-table';
import { describeInstall, installCertificate } from './steps/install-certificate';
import { probeUntilSucceeded } from './steps/probe';
import { restartAuthServices } from './steps/restart-auth-services';

export const REVERIFY_STEPS = [
    { id: 'inventory', title: 'Read the Exchange organization' },
    { id: 'keyTarget', title: 'Read the key target in Entra ID' },
    { id: 'certificateOnServers', title: 'The OAuth certificate is on every server' },
    { id: 'keyCredential', title: 'Its key credential is on the key target' },
    { id: 'authConfigCertificate', title: 'It is the current AuthConfig certificate' },
    { id: 'authServer', title: 'AuthServer MicrosoftSts' },
    { id: 'pushProxy', title: 'Push notification proxy enabled' },
    { id: 'restartHealthManager', title: 'Restart MSExchangeHM (only when needed)' },
    { id: 'settle', title: 'Let the health manager settle' },
    { id: 'probe', title: 'Push notification connectivity probe' },
    { id: 'rotation', title: 'Certificate rotation (when due)' },
    { id: 'registry', title: 'Record the result in the registry' },
] as const;

type RepairId = 'certificateOnServers' | 'keyCredential' | 'authConfigCertificate' | 'authServer' | 'pushProxy';

export function* reverifyTenant(context: OrchestrationContext): Generator<Task, ReverifyResult, unknown> {
    const input = context.df.getInput<ReverifyTenantInput>();
    const table = new StepTable(context, 'reverifyTenant', input.record.tenantDomain, REVERIFY_STEPS);
    try {
        return yield* reverify(context, input, table);
    } catch (error) {
        const runError = toRunError(error, table.current());
        table.failRun(runError);
        throw new RunFailure(runError);
    }
}

function* reverify(context: OrchestrationContext, input: ReverifyTenantInput, table: StepTable): Generator<Task, ReverifyResult, unknown> {
    const record = input.record;
    const agent = (step: string): AgentCall => ({ hybridConnection: record.hybridConnection, operationId: `${input.runId}:${step}` });
    const graphScope = { cloud: record.cloud, tenantDomain: record.tenantDomain, ...(record.tenantId === null ? {} : { tenantId: record.tenantId }) };
    const checks: CheckResult[] = [];
    const repair = input.mode === 'repair';

    table.start('inventory');
    table.start('keyTarget');
    const [inventoryOutcome, keyTargetOutcome] = yield* all<[ActivityOutput<'agentInventory'>, ActivityOutput<'graphGetKeyTarget'>]>(context, [
        activityTask(context, 'agentInventory', { ...agent('inventory'), keepCertificates: [record.certificate.thumbprint] }),
        activityTask(context, 'graphGetKeyTarget', { ...graphScope, keyTarget: record.keyTarget }),
    ], ['inventory', 'keyTarget']);
    const inventory = expandInventory(unwrap(inventoryOutcome, 'inventory'));
    checkOrganizationBinding(record.organizationGuid, inventory, record.tenantDomain, record.hybridConnection);
    table.succeed('inventory', `${inventory.servers.length} servers`);
    const keyTarget = unwrap(keyTargetOutcome, 'keyTarget');
    table.succeed('keyTarget', `${keyTarget.displayName} with ${keyTarget.keyCredentials.length} key credentials`);

    const found = assess(input, inventory, keyTarget, context.df.currentUtcDateTime.getTime());
    let keyCredentialId = record.keyCredentialId;
    let repaired = false;

    // Repairs in the order onboarding makes them: nothing is published before it is installed and registered.
    const order: readonly RepairId[] = ['certificateOnServers', 'keyCredential', 'authConfigCertificate', 'authServer', 'pushProxy'];
    // An expired certificate is replaced by the rotation below: repairing it first would be wasted.
    const superseded = new Set<RepairId>(found.expiry === 'expired' ? ['certificateOnServers', 'keyCredential'] : []);
    for (const id of order) {
        const finding: Finding<unknown> = found[id];
        if (finding.state === 'drifted' && superseded.has(id)) {
            const detail = `${finding.detail}; the certificate has expired and is replaced below`;
            table.skip(id, detail);
            checks.push({ id, state: 'drifted', detail });
        } else if (finding.state === 'ok') {
            table.succeed(id, finding.detail);
            checks.push({ id, state: 'ok', detail: finding.detail });
        } else if (finding.state === 'failed' || !repair) {
            table.fail(id, finding.detail);
            checks.push({ id, state: finding.state, detail: finding.detail });
        } else {
            table.start(id, `repairing: ${finding.detail}`);
            const done = yield* applyRepair(context, id, found, record, keyTarget, agent, graphScope, authServers(inventory).map((s) => s.name));
            if (done.keyCredentialId) keyCredentialId = done.keyCredentialId;
            repaired = true;
            table.succeed(id, `repaired: ${done.detail}`);
            checks.push({ id, state: 'repaired', detail: `${finding.detail}; ${done.detail}` });
        }
    }

    if (checks.some((c) => c.state === 'drifted')) {
        // Report mode: the drift explains the probe's result; restarting services would change things.
        for (const id of ['restartHealthManager', 'settle', 'probe']) table.skip(id, 'not run: drift found (run in repair mode to fix it)');
    } else {
        checks.push(yield* verifyWithProbe(context, input, inventory, agent, table, repaired));
    }

    let rotation: RotationReport | null = null;
    let current: TenantRecord = { ...record, keyCredentialId };
    const canRotate = checks.every((c) => c.state === 'ok' || c.state === 'repaired' || (c.state === 'drifted' && superseded.has(c.id as RepairId)));
    if (found.expiry === 'valid') {
        table.skip('rotation', `valid until ${record.certificate.notAfter}`);
        checks.push({ id: 'rotation', state: 'ok', detail: `valid until ${record.certificate.notAfter}` });
    } else if (!canRotate) {
        const detail = `certificate ${found.expiry === 'expired' ? 'has expired' : 'is due for renewal'}, but the checks above must pass first`;
        table.fail('rotation', detail);
        checks.push({ id: 'rotation', state: 'failed', detail });
    } else {
        table.start('rotation', found.expiry === 'expired' ? 'the certificate has expired: replacing it now' : 'renewal is due');
        const rotated = yield* rotateCertificate(context, { input, record: current, inventory, keyTarget, agent, graphScope, table, immediate: found.expiry === 'expired' });
        rotation = rotated.report;
        current = rotated.record;
        for (const [index, check] of checks.entries()) {
            if (check.state === 'drifted' && superseded.has(check.id as RepairId)) checks[index] = { ...check, state: 'repaired', detail: `${check.detail}: now ${rotated.report.to}` };
        }
        const kept = rotated.report.keptKeyId === null ? '' : `; kept key credential ${rotated.report.keptKeyId} of ${rotated.report.from}: this product did not add it (remove it in Entra ID once nothing uses it)`;
        const hybrid = rotated.report.hybridApplications
            .map((h) => `; gave the new key to the dedicated hybrid application ${h.appId}${h.keptKeyId === null ? '' : ` (kept key credential ${h.keptKeyId} of ${rotated.report.from} there: this product did not add it)`}`)
            .join('');
        const others = rotated.report.notUpdated.map((remedy) => `; ${remedy}`).join('');
        checks.push({ id: 'rotation', state: others === '' ? 'repaired' : 'failed', detail: `rotated ${rotated.report.from} to ${rotated.report.to}${kept}${hybrid}${others}` });
        table.succeed('rotation', `now ${rotated.report.to}, valid until ${current.certificate.notAfter}`);
    }

    if (record.partial) {
        // A failed onboarding left the tenant half done: the checks above say what holds; this says why and what to do.
        const { runId, error, changes } = record.partial;
        checks.push({
            id: 'onboarding',
            state: 'failed',
            detail: `partially onboarded: run ${runId} stopped at ${error.step} (${error.message}) after: ${changes.join('; ')}. Onboard again to resume, or undo (README, "Resume or undo a partial onboarding")`,
        });
    }
    const outcome = overallOutcome(checks);
    table.start('registry');
    if (rotation === null && current.keyCredentialId !== record.keyCredentialId) {
        unwrap(yield* callActivity(context, 'registrySaveTenant', { ...current, requestedBy: input.requestedBy }), 'registry');
    }
    unwrap(
        yield* callActivity(context, 'registryRecordRun', {
            tenantDomain: record.tenantDomain,
            instanceId: context.df.instanceId,
            runId: input.runId,
            kind: 'reverifyTenant',
            outcome,
            at: context.df.currentUtcDateTime.toISOString(),
            summary: summarize(outcome, checks),
            checks,
            requestedBy: input.requestedBy,
        }),
        'registry',
    );
    table.succeed('registry', outcome);
    if (!context.df.isReplaying) {
        // One structured event per tenant and run: Application Insights alerts key on it.
        context.log(JSON.stringify({ event: 'TenantVerified', tenantDomain: record.tenantDomain, mode: input.mode, outcome, checks: checks.map((c) => ({ id: c.id, state: c.state })) }));
    }
    return { tenantDomain: record.tenantDomain, instanceId: context.df.instanceId, runId: input.runId, mode: input.mode, outcome, checks, rotation, requestedBy: input.requestedBy };
}

function* applyRepair(
    context: OrchestrationContext,
    id: RepairId,
    found: Assessment,
    record: TenantRecord,
    keyTarget: KeyTargetSummary,
    agent: (step: string) => AgentCall,
    graphScope: { readonly cloud: TenantRecord['cloud']; readonly tenantDomain: string; readonly tenantId?: string },
    holders: readonly string[],
): Generator<Task, { detail: string; keyCredentialId?: string }, unknown> {
    const thumbprint = record.certificate.thumbprint;
    switch (id) {
        case 'certificateOnServers': {
            if (found.certificateOnServers.state !== 'drifted') break;
            const { servers, source } = found.certificateOnServers.repair;
            return { detail: describeInstall(yield* installCertificate(context, agent('repair-install'), thumbprint, servers, source, id)) };
        }
        case 'keyCredential': {
            if (found.keyCredential.state !== 'drifted' || !found.certificate) break;
            const { notBefore, notAfter } = found.certificate;
            const { derBase64 } = found.keyCredential.repair;
            const registration = unwrap(
                yield* registerKeyCredential(context, { ...graphScope, keyTarget: record.keyTarget, objectId: keyTarget.objectId }, { thumbprint, derBase64, notBefore, notAfter }),
                id,
            );
            return { detail: `key ${registration.keyId} registered; ${registration.before.length} others kept`, keyCredentialId: registration.keyId };
        }
        case 'authConfigCertificate': {
            unwrap(yield* callActivity(context, 'agentSetAuthConfig', { ...agent('repair-authConfig'), request: { action: 'setCurrent', thumbprint } }), id);
            const restarted = yield* restartAuthServices(context, agent('repair-restartAuthServices'), holders, id);
            return { detail: `Set-AuthConfig -CertificateThumbprint ${thumbprint}; ${restarted}` };
        }
        case 'authServer': {
            if (found.authServer.state !== 'drifted') break;
            const result = unwrap(yield* callActivity(context, 'agentEnsureAuthServer', { ...agent('repair-authServer'), authMetadataUrl: found.authServer.repair.authMetadataUrl }), id);
            return { detail: `AuthServer ${result.action}` };
        }
        case 'pushProxy': {
            if (found.pushProxy.state !== 'drifted') break;
            const { organization, uri } = found.pushProxy.repair;
            unwrap(yield* callActivity(context, 'agentEnablePushProxy', { ...agent('repair-pushProxy'), organization, uri }), id);
            return { detail: `Enable-PushNotificationProxy -Organization ${organization} -Uri ${uri}` };
        }
    }
    return { detail: 'nothing to do' };
}

function* verifyWithProbe(
    context: OrchestrationContext,
    input: ReverifyTenantInput,
    inventory: InventoryView,
    agent: (step: string) => AgentCall,
    table: StepTable,
    restartFirst: boolean,
): Generator<Task, CheckResult, unknown> {
    const server = probeServer(inventory);
    if (!server) {
        table.fail('probe', 'the organization has no Mailbox server to probe');
        return { id: 'probe', state: 'failed', detail: 'the organization has no Mailbox server to probe' };
    }
    const probe = yield* probeUntilSucceeded(context, table, {
        server,
        mailboxServers: mailboxServers(inventory),
        agent,
        attempts: input.settings.probeAttempts,
        settleSeconds: input.settings.settleSeconds,
        restartFirst,
        restartAfterFailure: true,
    });
    if (!restartFirst && probe.restarts === 0) {
        table.skip('restartHealthManager', 'not needed');
        table.skip('settle', 'not needed');
    }
    if (!probe.succeeded) return { id: 'probe', state: 'failed', detail: `failed ${probe.attempts} times; last Error: ${probe.lastError ?? '(none)'}` };
    if (probe.attempts > 1) return { id: 'probe', state: 'repaired', detail: `Succeeded after restarting MSExchangeHM (attempt ${probe.attempts})` };
    return { id: 'probe', state: 'ok', detail: 'Succeeded' };
}

export function overallOutcome(checks: readonly CheckResult[]): ReverifyOutcome {
    if (checks.some((c) => c.state === 'failed')) return 'failed';
    if (checks.some((c) => c.state === 'drifted')) return 'drifted';
    if (checks.some((c) => c.state === 'repaired')) return 'repaired';
    return 'succeeded';
}

function summarize(outcome: ReverifyOutcome, checks: readonly CheckResult[]): string {
    const notOk = checks.filter((c) => c.state !== 'ok');
    return notOk.length === 0 ? 'all checks ok' : `${outcome}: ${notOk.map((c) => `${c.id} ${c.state}`).join(', ')}`;
}
