import { findCertificate, type InventoryView } from '../../lib/contracts/inventory';
import { authServers } from './preflight';

/** Which servers hold a certificate with its private key, which of them can export it, and which lack it. */
export function certificateHolders(inventory: InventoryView, thumbprint: string): { servers: string[]; exportableOn: string[]; missing: string[] } {
    const found = findCertificate(inventory, thumbprint);
    const servers = [...(found?.withKey ?? [])];
    const exportableOn = [...(found?.exportableOn ?? [])];
    const missing = authServers(inventory)
        .map((s) => s.name)
        .filter((name) => !servers.includes(name));
    return { servers, exportableOn, missing };
}
