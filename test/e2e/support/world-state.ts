import { createHash } from 'node:crypto';
import type { StoredKeyCredential } from '../../../local/graph/directory-state';
import type { HistoryEvent } from '../../../local/host/durable/history-events';
import { EventType } from '../../../local/host/durable/history-events';
import type { LocalStack } from '../../../local/stack/local-stack';

/** Cmdlets that only read: a run that must write nothing may run these and nothing else. */
export const READ_ONLY_CMDLETS = new Set([
    'Get-OrganizationConfig',
    'Get-AcceptedDomain',
    'Get-ExchangeServer',
    'Get-ExchangeCertificate',
    'Get-AuthConfig',
    'Get-AuthServer',
    'Get-PushNotificationApp',
]);

/** Cmdlets that change the organization. */
export function writeCommands(stack: LocalStack): string[] {
    return stack.exchange
        .commandLog()
        .filter((c) => !READ_ONLY_CMDLETS.has(c.cmdlet))
        .map((c) => (c.server === null ? c.cmdlet : `${c.cmdlet} @${c.server}`));
}

/** The key target's credentials as the directory stores them, key included: what "byte-identical" is judged on. */
export function storedKeyCredentials(stack: LocalStack): readonly StoredKeyCredential[] {
    return (stack.cloud.graph.keyTarget()?.keyCredentials ?? []).map((credential) => ({ ...credential }));
}

/**
 * The stored credential that stands for the same certificate, type and usage as an earlier one: what a
 * write keeps of it (Graph re-creates each credential sent back as key, type and usage, under a new keyId).
 */
export function sameCertificate(stored: readonly StoredKeyCredential[], earlier: StoredKeyCredential): StoredKeyCredential | undefined {
    return stored.find((credential) => credential.key === earlier.key && credential.type === earlier.type && credential.usage === earlier.usage);
}

/** Everything the stand-ins were asked to change: Graph PATCHes, Key Vault creations and PFX reads. */
export function cloudWrites(stack: LocalStack): { graphPatches: number; keyVaultCreates: number; pfxReads: number } {
    return {
        graphPatches: stack.cloud.graph.requests.filter((r) => r.method === 'PATCH').length,
        keyVaultCreates: stack.cloud.keyVault.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/create')).length,
        pfxReads: stack.cloud.keyVault.secretRequests().filter((r) => r.status === 200 && /^\/secrets\/exo-/.test(r.path)).length,
    };
}

export function history(stack: LocalStack, instanceId: string): readonly HistoryEvent[] {
    const record = stack.host.store.get(instanceId);
    if (record === undefined) throw new Error(`no instance ${instanceId} in the store`);
    return record.history;
}

/** Names of the activities the run scheduled, in order (one entry per attempt). */
export function scheduledActivities(stack: LocalStack, instanceId: string): string[] {
    return history(stack, instanceId).flatMap((event) => (event.EventType === EventType.TaskScheduled ? [event.Name] : []));
}

/** Activity attempts that failed (transient failures the retry policy retried), by activity name. */
export function failedActivities(stack: LocalStack, instanceId: string): string[] {
    const events = history(stack, instanceId);
    const names = new Map(events.flatMap((event) => (event.EventType === EventType.TaskScheduled ? [[event.EventId, event.Name] as const] : [])));
    return events.flatMap((event) => (event.EventType === EventType.TaskFailed ? [names.get(event.TaskScheduledId) ?? '?'] : []));
}

/** Durable timers the run created, as seconds after the previous history event's time (the wait each one stands for). */
export function timerWaitsSeconds(stack: LocalStack, instanceId: string): number[] {
    const events = history(stack, instanceId);
    const waits: number[] = [];
    let now = Number.NaN;
    for (const event of events) {
        if (event.EventType === EventType.OrchestratorStarted) now = Date.parse(event.Timestamp);
        if (event.EventType === EventType.TimerCreated) waits.push((Date.parse(event.FireAt) - now) / 1000);
    }
    return waits;
}

/** A thumbprint named for comparisons across worlds: a scenario certificate's id, "created" for the vault's, or the thumbprint. */
export function certificateLabel(stack: LocalStack, thumbprint: string): string {
    for (const spec of stack.scenario.exchange.certificates) {
        if (stack.exchange.thumbprintOf(spec.id) === thumbprint) return spec.id;
    }
    const issued = stack.cloud.keyVault.certificates().flatMap((c) => c.versions.map((v) => v.thumbprint));
    return issued.includes(thumbprint) ? 'created' : thumbprint;
}

/**
 * The final state of a simulated world in terms that compare across worlds (thumbprints and
 * generated ids replaced by labels): Exchange, the key target in Entra ID and the Key Vault.
 */
export interface WorldState {
    /** Per server: labels of the certificates in its store, "(no private key)" marked. */
    readonly certificates: Readonly<Record<string, readonly string[]>>;
    readonly authConfigCurrent: string | null;
    readonly authServers: readonly { readonly name: string; readonly authMetadataUrl: string | null; readonly enabled: boolean }[];
    readonly pushProxy: { readonly enabled: boolean; readonly organization: string | null };
    /** keyIds (as before the run) of the credentials whose certificates were there before, then "new:<label>" for each added one. */
    readonly keyCredentials: readonly string[];
    /** Issued certificate versions in the Key Vault. */
    readonly vaultVersions: number;
    /** Per server: what was restarted after the current Auth certificate changed (service and pool names, in order). */
    readonly authServicesRestarted: Readonly<Record<string, readonly string[]>>;
}

export function worldState(stack: LocalStack, before: readonly StoredKeyCredential[]): WorldState {
    const certificates: Record<string, string[]> = {};
    for (const server of stack.scenario.exchange.servers) {
        certificates[server.name] = stack.exchange
            .certificatesOn(server.name)
            .map((c) => `${certificateLabel(stack, c.thumbprint)}${c.hasPrivateKey ? '' : ' (no private key)'}`)
            .sort();
    }
    const current = stack.exchange.authConfig().currentThumbprint;
    const stored = storedKeyCredentials(stack);
    const earlierKeyId = (credential: StoredKeyCredential): string | undefined => before.find((earlier) => sameCertificate([credential], earlier) !== undefined)?.keyId;
    return {
        certificates,
        authConfigCurrent: current === null ? null : certificateLabel(stack, current),
        authServers: stack.exchange.authServers().map((a) => ({ name: a.name, authMetadataUrl: a.authMetadataUrl, enabled: a.enabled })),
        pushProxy: { enabled: stack.exchange.pushProxyState().enabled, organization: stack.exchange.pushProxyState().organization },
        keyCredentials: [
            ...stored.map(earlierKeyId).filter((keyId): keyId is string => keyId !== undefined),
            ...stored.filter((c) => earlierKeyId(c) === undefined).map((c) => `new:${certificateLabel(stack, createHash('sha1').update(Buffer.from(c.key, 'base64')).digest('hex').toUpperCase())}`),
        ],
        vaultVersions: stack.cloud.keyVault.certificates().flatMap((c) => c.versions.filter((v) => v.status === 'issued')).length,
        authServicesRestarted: Object.fromEntries(stack.scenario.exchange.servers.map((server) => [server.name, stack.exchange.authServiceRestarts(server.name)])),
    };
}
