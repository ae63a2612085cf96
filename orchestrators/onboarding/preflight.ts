import { MINIMUM_BUILD, isAtLeastMinimumBuild } from './exchange-build';
import { serverFqdn, type InventoryView, type ServerView } from '../../lib/contracts/inventory';

/** Servers that must hold the OAuth certificate: every Mailbox or Client Access server (not Edge). */
export function authServers(inventory: InventoryView): readonly ServerView[] {
    return inventory.servers.filter((s) => s.roles.some((r) => r === 'Mailbox' || r === 'ClientAccess'));
}

/** Every Mailbox server, by name. */
export function mailboxServers(inventory: InventoryView): string[] {
    return inventory.servers
        .filter((s) => s.roles.includes('Mailbox'))
        .map((s) => s.name)
        .sort((a, b) => a.localeCompare(b));
}

/** The server the article probes: the first Mailbox server, by name for a stable choice; with its FQDN. */
export function probeServer(inventory: InventoryView): (ServerView & { readonly fqdn: string }) | undefined {
    const server = [...inventory.servers].filter((s) => s.roles.includes('Mailbox')).sort((a, b) => a.name.localeCompare(b.name))[0];
    return server === undefined ? undefined : { ...server, fqdn: serverFqdn(inventory, server) };
}

/** Everything that stops onboarding before anything is written; empty when it may proceed. */
export function preflightProblems(inventory: InventoryView, _tenantDomain: string): string[] {
    const problems: string[] = [];
    for (const server of inventory.servers) {
        if (!isAtLeastMinimumBuild(server.build)) {
            problems.push(`${server.name} runs Exchange build ${server.build}; every server needs Exchange 2013 CU3 (${MINIMUM_BUILD}) or later`);
        }
        if (!server.reachable) problems.push(`${server.name} (${serverFqdn(inventory, server)}) cannot be reached from the agent`);
    }
    if (!inventory.servers.some((s) => s.roles.includes('Mailbox'))) problems.push('the organization has no Mailbox server');
    // The tenant domain need not be an accepted domain on premises: the article sets it only as the AuthServer realm
    // and the proxy's -Organization, and contoso.onmicrosoft.com never is one (Enable-PushNotificationProxy example 2).
    return problems;
}
