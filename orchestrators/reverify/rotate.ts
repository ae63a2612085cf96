import type { OrchestrationContext, Task } from 'durable-functions';
import type { AgentCall, KeyTargetSummary, TenantRecord } from '../../lib/contracts/activities';
import type { InventoryView } from '../../lib/contracts/inventory';
import type { ReverifyTenantInput, RotationReport } from '../../lib/contracts/reverify';
import { KEY_REPLICATION_WAITS_SECONDS } from '../../lib/contracts/retry-policies';
import { callActivity, sleep } from '../activity-calls';
import { registerKeyCredential } from '../key-writer/change-key-credentials';
import { certificateHolders } from '../onboarding/certificate-holders';
import { authServers, mailboxServers, probeServer } from '../onboarding/preflight';
import { RunFailure, unwrap } from '../run-failure';
import { nameServers } from '../server-names';
import { hybridApplicationRemedy } from './hybrid-application';
import { otherHybridApplications, registerOnHybridApplications, removeFromHybridApplications, removeOldKey } from './hybrid-key-targets';
import type { StepTable } from '../step-table';
import { installCertificate } from '../steps/install-certificate';
import { probeUntilSucceeded } from '../steps/probe';
import { restartAuthServices } from '../steps/restart-auth-services';
import { waitForKeyVaultCertificate } from '../steps/wait-for-key-vault';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const STEP = 'rotation';

export interface RotationContext {
    readonly input: ReverifyTenantInput;
    readonly record: TenantRecord;
    readonly inventory: InventoryView;
    readonly keyTarget: KeyTargetSummary;
    readonly agent: (step: string) => AgentCall;
    readonly graphScope: { readonly cloud: TenantRecord['cloud']; readonly tenantDomain: string; readonly tenantId?: string };
    readonly table: StepTable;
    /** The current certificate has expired: publish the new one at once instead of staging it. */
    readonly immediate: boolean;
}

/**
 * Zero-downtime rotation: the new certificate is installed on every server and its key registered
 * (the old key kept) before it is staged and, at its effective date, published; the previous
 * certificate is cleared and the old key removed only once the old certificate is current nowhere.
 */
export function* rotateCertificate(context: OrchestrationContext, rotation: RotationContext): Generator<Task, { report: RotationReport; record: TenantRecord }, unknown> {
    const { input, record, inventory, keyTarget, agent, graphScope, table } = rotation;
    const oldThumbprint = record.certificate.thumbprint;
    const organizationGuid = record.organizationGuid ?? inventory.organization.guid;
    const now = () => context.df.currentUtcDateTime.getTime();
    const step = (detail: string) => table.start(STEP, detail);

    step('creating the next certificate in Key Vault');
    const started = unwrap(
        yield* callActivity(context, 'keyVaultStartCertificate', {
            tenantDomain: record.tenantDomain,
            organizationGuid,
            dnsName: inventory.userDnsDomain,
            keySize: 2048,
            validityMonths: 24,
            renewIfNotAfterBefore: new Date(now() + input.settings.renewalWindowDays * DAY_MS).toISOString(),
        }),
        STEP,
    );
    yield* waitForKeyVaultCertificate(context, started.certificateName, started.status, table, STEP);
    const next = unwrap(yield* callActivity(context, 'keyVaultGetCertificate', { certificateName: started.certificateName }), STEP);
    if (next.thumbprint === oldThumbprint) {
        throw new RunFailure({ step: STEP, code: 'rotation_no_new_certificate', message: `Key Vault returned the current certificate ${oldThumbprint} instead of a new one` });
    }

    const { missing } = certificateHolders(inventory, next.thumbprint);
    if (missing.length > 0) {
        step(`installing ${next.thumbprint} on ${nameServers(missing)}`);
        yield* installCertificate(context, agent('rotation-install'), next.thumbprint, missing, { kind: 'keyVault', certificateName: next.certificateName, version: next.version, organizationGuid }, STEP, inventory.exchangeSessions);
    }

    step(`registering the key of ${next.thumbprint} next to the current one`);
    const { thumbprint, derBase64, notBefore, notAfter } = next;
    const ownTarget = { ...graphScope, keyTarget: record.keyTarget, objectId: keyTarget.objectId };
    const registration = unwrap(yield* registerKeyCredential(context, ownTarget, { thumbprint, derBase64, notBefore, notAfter }), STEP);
    // Other key targets that trust the Auth certificate: a dedicated hybrid application that is not this tenant's key target.
    const ownAppId = record.keyTarget.kind === 'application' ? record.keyTarget.appId.toLowerCase() : null;
    const hybrid = otherHybridApplications(inventory, ownAppId, input.settings.keyTargetAppIds ?? []);
    const hybridRegistered = yield* registerOnHybridApplications(context, graphScope, hybrid.allowed, { thumbprint, derBase64, notBefore, notAfter }, oldThumbprint, step);

    if (rotation.immediate) {
        step(`publishing ${thumbprint} now: ${oldThumbprint} has expired`);
        unwrap(yield* callActivity(context, 'agentSetAuthConfig', { ...agent('rotation-setCurrent'), request: { action: 'setCurrent', thumbprint } }), STEP);
    } else {
        const effective = new Date(now() + input.settings.stageHours * HOUR_MS);
        step(`staging ${thumbprint}, effective ${effective.toISOString()}`);
        unwrap(yield* callActivity(context, 'agentSetAuthConfig', { ...agent('rotation-stage'), request: { action: 'stageNext', thumbprint, effectiveDate: effective.toISOString() } }), STEP);
        yield context.df.createTimer(effective);
        step(`publishing ${thumbprint}`);
        unwrap(yield* callActivity(context, 'agentSetAuthConfig', { ...agent('rotation-publish'), request: { action: 'publish', thumbprint } }), STEP);
    }
    const publishedAt = context.df.currentUtcDateTime.toISOString();
    const holders = authServers(inventory).map((s) => s.name);
    step(`restarting MSExchangeServiceHost and recycling the OWA and ECP pools on ${nameServers(holders)}`);
    const restarted = yield* restartAuthServices(context, agent('rotation-restartAuthServices'), holders, STEP);
    // The settle time the article gives the health manager, for the service and pools to come back before the probe judges.
    // MSExchangeHM itself is not restarted: it caches the proxy's state, which rotation does not change, and restarting it
    // would stop the probe for that long.
    step(`letting the services settle for ${input.settings.settleSeconds} s`);
    yield* sleep(context, input.settings.settleSeconds);

    // From here on the new certificate is the tenant's: record it before anything else can fail.
    const rotated: TenantRecord = {
        ...record,
        certificate: { thumbprint, notAfter, source: 'created', keyVaultName: next.certificateName, keyVaultVersion: next.version },
        keyCredentialId: registration.keyId,
        requestedBy: input.requestedBy,
    };
    unwrap(yield* callActivity(context, 'registrySaveTenant', rotated), STEP);

    const server = probeServer(inventory);
    if (server) {
        step(`verifying ${thumbprint} with the connectivity probe`);
        const probe = yield* probeUntilSucceeded(context, table, {
            server,
            mailboxServers: mailboxServers(inventory),
            agent: (name) => agent(`rotation-${name}`),
            attempts: input.settings.probeAttempts,
            settleSeconds: input.settings.settleSeconds,
            restartFirst: false,
            restartAfterFailure: true,
            ...(registration.added ? { replicationWaitsSeconds: KEY_REPLICATION_WAITS_SECONDS } : {}),
        });
        if (!probe.succeeded) {
            throw new RunFailure({
                step: STEP,
                code: 'rotation_probe_failed',
                message: `${thumbprint} is published but the probe fails: ${probe.lastError ?? '(no error text)'}`,
                remedy: `The previous certificate ${oldThumbprint} and its key credential were kept. Fix the cause (see Troubleshooting), or set it back with Set-AuthConfig -CertificateThumbprint ${oldThumbprint}.`,
            });
        }
    }

    step(`clearing the previous certificate ${oldThumbprint}`);
    unwrap(yield* callActivity(context, 'agentSetAuthConfig', { ...agent('rotation-clearPrevious'), request: { action: 'clearPrevious' } }), STEP);

    const after = unwrap(yield* callActivity(context, 'agentInventory', agent('rotation-inventory')), STEP).authConfig;
    if (after.currentThumbprint !== thumbprint || [after.previousThumbprint, after.nextThumbprint].includes(oldThumbprint)) {
        throw new RunFailure({
            step: STEP,
            code: 'rotation_old_certificate_in_use',
            message: `AuthConfig still refers to ${oldThumbprint} (current ${after.currentThumbprint ?? 'none'}, previous ${after.previousThumbprint ?? 'none'}); its key credential was kept`,
            remedy: 'Check Get-AuthConfig on the servers, then run the verification again: the old key is removed once the old certificate is referenced nowhere.',
        });
    }
    const oldKey = keyTarget.keyCredentials.find((k) => k.thumbprint === oldThumbprint);
    const certificateCreated = record.certificate.source === 'created';
    const { removedKeyId, keptKeyId } = yield* removeOldKey(
        context,
        ownTarget,
        { keyId: oldKey?.keyId ?? record.keyCredentialId, thumbprint: oldThumbprint, certificateCreated, addedByProduct: oldKey?.addedByProduct === true, newKeyId: registration.keyId },
        step,
    );
    const hybridApplications = yield* removeFromHybridApplications(context, hybridRegistered, oldThumbprint, certificateCreated, step);
    const notUpdated = hybrid.notAllowed.map((appId) => hybridApplicationRemedy(appId, thumbprint));
    return { report: { kind: rotation.immediate ? 'immediate' : 'staged', from: oldThumbprint, to: thumbprint, publishedAt, restarted, notUpdated, hybridApplications, removedKeyId, keptKeyId }, record: rotated };
}
