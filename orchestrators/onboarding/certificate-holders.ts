import type { InventoryView } from '../../lib/contracts/inventory';
import { authServers } from './preflight';

/** Which servers hold a certificate with its private key, which of them can export it, and which lack it. */
export function certificateHolders(inventory: InventoryView, thumbprint: string): { servers: string[]; exportableOn: string[]; missing: string[] } {
    const servers: string[] = [];
    const exportableOn: string[] = [];
    for (const entry of inventory.certificates) {
        const cert = entry.certificates.find((c) => c.thumbprint === thumbprint && c.hasPrivateKey);
        if (!cert) continue;
        servers.push(entry.server);
        if (cert.exportable) exportableOn.push(entry.server);
    }
    const missing = authServers(inventory)
        .map((s) => s.name)
        .filter((name) => !servers.includes(name));
    return { servers, exportableOn, missing };
}
