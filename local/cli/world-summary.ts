import type { WorldSnapshot } from './world-snapshot';

const NONE = '(none)';

function short(thumbprint: string): string {
    return thumbprint.length > 16 ? `${thumbprint.slice(0, 16)}…` : thumbprint;
}

function serverLines(before: WorldSnapshot, after: WorldSnapshot): string[] {
    return after.exchange.servers.map((server) => {
        const had = new Set(before.exchange.servers.find((s) => s.name === server.name)?.certificates.map((c) => c.thumbprint) ?? []);
        const now = new Set(server.certificates.map((c) => c.thumbprint));
        const added = server.certificates.filter((c) => !had.has(c.thumbprint)).map((c) => `+ ${c.thumbprint} "${c.friendlyName}"`);
        const removed = [...had].filter((t) => !now.has(t)).map((t) => `- ${t}`);
        const changes = [...added, ...removed];
        return `  ${server.name}: ${changes.length === 0 ? `certificates unchanged (${server.certificates.length})` : changes.join(', ')}`;
    });
}

function authConfigLine(before: WorldSnapshot, after: WorldSnapshot): string {
    const was = before.exchange.authConfigCurrentThumbprint ?? NONE;
    const is = after.exchange.authConfigCurrentThumbprint ?? NONE;
    return was === is ? `  AuthConfig current certificate: unchanged, ${is}` : `  AuthConfig current certificate: ${was} → ${is}`;
}

function authServerLines(before: WorldSnapshot, after: WorldSnapshot): string[] {
    const names = [...new Set([...before.exchange.authServers, ...after.exchange.authServers].map((s) => s.name))];
    if (names.length === 0) return ['  AuthServers: none'];
    return names.map((name) => {
        const was = before.exchange.authServers.find((s) => s.name === name);
        const is = after.exchange.authServers.find((s) => s.name === name);
        if (was === undefined) return `  AuthServer ${name}: created, ${is?.authMetadataUrl ?? NONE}`;
        if (is === undefined) return `  AuthServer ${name}: removed`;
        if (was.authMetadataUrl !== is.authMetadataUrl) return `  AuthServer ${name}: updated, ${was.authMetadataUrl ?? NONE} → ${is.authMetadataUrl ?? NONE}`;
        return `  AuthServer ${name}: unchanged, ${is.authMetadataUrl ?? NONE}`;
    });
}

function pushProxyText(proxy: WorldSnapshot['exchange']['pushProxy']): string {
    return proxy.enabled ? `enabled for ${proxy.organization ?? NONE}` : 'disabled';
}

function pushProxyLine(before: WorldSnapshot, after: WorldSnapshot): string {
    const was = pushProxyText(before.exchange.pushProxy);
    const is = pushProxyText(after.exchange.pushProxy);
    return was === is ? `  Push notification proxy: unchanged, ${is}` : `  Push notification proxy: ${was} → ${is}`;
}

function keyCredentialLines(before: WorldSnapshot, after: WorldSnapshot): string[] {
    const had = new Set(before.entra.keyCredentials.map((k) => k.keyId));
    const has = new Set(after.entra.keyCredentials.map((k) => k.keyId));
    const lines = after.entra.keyCredentials.map((k) => `  ${had.has(k.keyId) ? 'kept ' : 'added'}  ${k.keyId}  ${k.displayName ?? ''}  ${short(k.thumbprint)}`.trimEnd());
    const lost = before.entra.keyCredentials.filter((k) => !has.has(k.keyId)).map((k) => `  LOST   ${k.keyId}  ${k.displayName ?? ''}`.trimEnd());
    return [...lines, ...lost];
}

function keyVaultLines(before: WorldSnapshot, after: WorldSnapshot): string[] {
    const had = new Set(before.keyVault.certificates.map((c) => `${c.name}/${c.version}`));
    if (after.keyVault.certificates.length === 0) return ['  no certificates'];
    return after.keyVault.certificates.map((c) => {
        const mark = had.has(`${c.name}/${c.version}`) ? ' ' : '+';
        const facts = c.status === 'issued' ? `${c.thumbprint ?? NONE}, valid until ${c.notAfter ?? NONE}` : 'creation pending';
        return `  ${mark} ${c.name}: ${facts}`;
    });
}

/** What changed on each side between two snapshots, as lines for the terminal. */
export function summarizeWorld(before: WorldSnapshot, after: WorldSnapshot): string[] {
    return [
        'Exchange organization',
        ...serverLines(before, after),
        authConfigLine(before, after),
        ...authServerLines(before, after),
        pushProxyLine(before, after),
        `Entra ID key credentials on the key target (before ${before.entra.keyCredentials.length}, after ${after.entra.keyCredentials.length})`,
        ...keyCredentialLines(before, after),
        'Key Vault certificates',
        ...keyVaultLines(before, after),
    ];
}
