/**
 * How the product reaches Azure endpoints. Empty in production: system CAs and public DNS.
 * A sandbox (the local world, an isolated test tenant behind a proxy) may route named hosts to other
 * addresses, like curl's --connect-to, and trust one extra CA for the product's own clients only.
 */
export interface OutboundSettings {
    /** PEM of an extra CA trusted by the product's Azure clients (never installed globally). */
    readonly trustedCaPem?: string;
    /** Host name to the address that serves it. When non-empty, every other host is refused. */
    readonly connectTo: ReadonlyMap<string, OutboundAddress>;
}

export interface OutboundAddress {
    readonly host: string;
    readonly port: number;
}

export const DIRECT_OUTBOUND: OutboundSettings = { connectTo: new Map() };

/** Parses "host=address:port,host2=address:port"; a malformed entry gives the reason. */
export function parseConnectTo(text: string): { map: Map<string, OutboundAddress> } | { error: string } {
    const map = new Map<string, OutboundAddress>();
    for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
        const match = /^([A-Za-z0-9.-]+)=([A-Za-z0-9.:[\]-]+):(\d{1,5})$/.exec(entry);
        const port = Number(match?.[3]);
        if (match === null || !(port > 0 && port < 65536)) return { error: `"${entry}" is not host=address:port` };
        map.set((match[1] ?? '').toLowerCase(), { host: (match[2] ?? '').replace(/^\[|\]$/g, ''), port });
    }
    return { map };
}
