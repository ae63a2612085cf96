import { authServerMetadataUrl, cloudEndpoints } from '../../../lib/clouds';
import { TenantRegistry } from '../../../lib/registry/tenant-registry';
import type { StoredKeyCredential } from '../../../local/graph/directory-state';
import type { LocalStack } from '../../../local/stack/local-stack';

/** What a world held before the run under test, to judge what the run changed. */
export interface WorldBefore {
    /** The key target's credentials as stored, key included: what "kept" is judged on, by certificate. */
    readonly keyCredentials: readonly StoredKeyCredential[];
    readonly authConfigCurrent: string | null;
    /** Thumbprints with a key credential on the key target. */
    readonly registered: ReadonlySet<string>;
    /** Per server, the certificates in its store. */
    readonly certificates: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Servers a certificate must be on: every Mailbox and Client Access server. */
function targetServers(stack: LocalStack): string[] {
    return stack.scenario.exchange.servers.filter((s) => s.roles.includes('Mailbox') || s.roles.includes('ClientAccess')).map((s) => s.name);
}

function storedCredentials(stack: LocalStack): StoredKeyCredential[] {
    return (stack.cloud.graph.keyTarget()?.keyCredentials ?? []).map((credential) => ({ ...credential }));
}

export function snapshotWorld(stack: LocalStack): WorldBefore {
    return {
        keyCredentials: storedCredentials(stack),
        authConfigCurrent: stack.exchange.authConfig().currentThumbprint,
        registered: new Set(stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint)),
        certificates: new Map(stack.scenario.exchange.servers.map((s) => [s.name, new Set(stack.exchange.certificatesOn(s.name).map((c) => c.thumbprint))])),
    };
}

/** Key credentials the product added: their certificates were not on the key target before (keyIds change at every write). */
function addedCredentials(stack: LocalStack, before: WorldBefore): { keyId: string; thumbprint: string }[] {
    const earlier = new Set(before.keyCredentials.map((k) => `${k.usage}:${k.key}`));
    const stored = storedCredentials(stack);
    return stack.cloud.graph.keyTargetCredentials().filter((k, index) => !earlier.has(`${k.usage}:${stored[index]?.key ?? ''}`));
}

function installedEverywhere(stack: LocalStack, thumbprint: string): boolean {
    return targetServers(stack).every((server) => stack.exchange.certificatesOn(server).some((c) => c.thumbprint === thumbprint && c.hasPrivateKey));
}

/**
 * What must hold whatever happened, even when the run failed: the certificate, type and usage of every
 * earlier key credential kept; no key registered for a certificate that is not installed on every server;
 * nothing current or staged in AuthConfig that is not installed and registered.
 */
export function safetyViolations(stack: LocalStack, before: WorldBefore): string[] {
    const violations: string[] = [];
    // A write sends each kept credential back as key, type and usage (see lib/graph/key-credential.ts sendBack):
    // its certificate, type and usage are what must survive; Graph re-assigns keyId and the descriptive fields.
    const now = storedCredentials(stack);
    for (const earlier of before.keyCredentials) {
        const kept = now.find((k) => k.key === earlier.key && k.usage === earlier.usage);
        if (kept === undefined) violations.push(`earlier key credential ${earlier.keyId} was lost`);
        else if (kept.type !== earlier.type) violations.push(`earlier key credential ${earlier.keyId} was changed`);
    }
    const registered = new Set(stack.cloud.graph.keyTargetCredentials().map((k) => k.thumbprint));
    for (const added of addedCredentials(stack, before)) {
        if (!installedEverywhere(stack, added.thumbprint)) violations.push(`key ${added.keyId} registered for ${added.thumbprint}, which is not installed on every server`);
    }
    const config = stack.exchange.authConfig();
    for (const [role, thumbprint] of [
        ['current', config.currentThumbprint],
        ['next', config.nextThumbprint],
    ] as const) {
        // A world may start with an unregistered current certificate: the run is judged on what it published.
        if (thumbprint === null || (thumbprint === before.authConfigCurrent && !before.registered.has(thumbprint))) continue;
        if (!registered.has(thumbprint)) violations.push(`AuthConfig ${role} ${thumbprint} has no key credential`);
        if (!installedEverywhere(stack, thumbprint)) violations.push(`AuthConfig ${role} ${thumbprint} is not installed on every server`);
    }
    return violations;
}

/**
 * A tenant whose trust works on `thumbprint`: current in AuthConfig with nothing staged or
 * previous, on every server, the only certificate the product added to each server besides
 * `alsoAllowed`, the only key credential the product added, AuthServer and the push proxy right,
 * the probe would succeed on every Mailbox server, and the registry says so.
 */
export async function healthyTenantViolations(stack: LocalStack, before: WorldBefore, thumbprint: string, alsoAllowed: readonly string[] = []): Promise<string[]> {
    const violations: string[] = [];
    const { domain, cloud } = stack.scenario.tenant;
    const config = stack.exchange.authConfig();
    if (config.currentThumbprint !== thumbprint || config.nextThumbprint !== null || config.previousThumbprint !== null) {
        violations.push(`AuthConfig is ${JSON.stringify(config)}, expected current ${thumbprint} and nothing else`);
    }
    for (const server of stack.scenario.exchange.servers.map((s) => s.name)) {
        const added = stack.exchange.certificatesOn(server).filter((c) => !(before.certificates.get(server)?.has(c.thumbprint) ?? false));
        const unexpected = added.filter((c) => c.thumbprint !== thumbprint && !alsoAllowed.includes(c.thumbprint));
        if (unexpected.length > 0) violations.push(`${server} holds extra certificates ${unexpected.map((c) => c.thumbprint).join(', ')}`);
        if (targetServers(stack).includes(server) && !stack.exchange.certificatesOn(server).some((c) => c.thumbprint === thumbprint && c.hasPrivateKey)) {
            violations.push(`${server} lacks ${thumbprint} with its private key`);
        }
    }
    const added = addedCredentials(stack, before);
    if (added.length !== 1 || added[0]?.thumbprint !== thumbprint) violations.push(`the product's key credentials are ${JSON.stringify(added)}, expected one for ${thumbprint}`);
    const expectedUrl = authServerMetadataUrl(cloudEndpoints(cloud), domain);
    const authServers = stack.exchange.authServers().filter((a) => a.name.toLowerCase() === 'microsoftsts');
    if (authServers.length !== 1 || authServers[0]?.authMetadataUrl !== expectedUrl || authServers[0].enabled !== true) violations.push(`AuthServer is ${JSON.stringify(authServers)}`);
    const proxy = stack.exchange.pushProxyState();
    if (!proxy.enabled || proxy.organization?.toLowerCase() !== domain.toLowerCase()) violations.push(`push proxy is ${JSON.stringify(proxy)}`);
    for (const server of stack.scenario.exchange.servers.filter((s) => s.roles.includes('Mailbox'))) {
        const missing = stack.exchange.missingLink(server.name);
        if (missing !== undefined) violations.push(`the probe would fail on ${server.name}: ${missing.error}`);
    }
    const entry = await TenantRegistry.withConnectionString(stack.appSettings.PPO_REGISTRY_CONNECTION_STRING ?? '', stack.appSettings.PPO_REGISTRY_TABLE ?? '').get(domain);
    const record = entry?.record;
    // keyCredentialId is the keyId at registration: a later write (the old key's removal) re-creates credentials under new keyIds.
    if (record?.certificate.thumbprint !== thumbprint || record.keyCredentialId === null || record.hybridConnection !== stack.scenario.agent.hybridConnection || record.keyTarget.kind !== stack.scenario.entra.keyTarget.kind) {
        violations.push(`the registry holds ${JSON.stringify(record)}`);
    }
    return violations;
}
