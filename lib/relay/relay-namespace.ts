import { ConfigurationError } from '../errors';

/** Where a relay namespace is reached: "contoso.servicebus.windows.net", or "127.0.0.1:4443" locally. */
export interface RelayNamespaceAddress {
    /** Host name without port, as used in SAS token resources. */
    readonly hostname: string;
    readonly port: number;
    /** host[:port] as given, for URLs. */
    readonly authority: string;
}

export function parseRelayNamespace(namespace: string): RelayNamespaceAddress {
    const invalid = new ConfigurationError(`Relay namespace "${namespace}" is not a host name or host:port.`, {
        remedy: 'Set the relay namespace to its host name, e.g. contoso.servicebus.windows.net, without scheme or path.',
    });
    if (namespace.length === 0 || namespace.includes('://') || /[/?#@\s]/.test(namespace)) throw invalid;
    let url: URL;
    try {
        url = new URL(`https://${namespace}`);
    } catch (error) {
        throw new ConfigurationError(invalid.message, { remedy: invalid.remedy, cause: error });
    }
    return { hostname: url.hostname, port: url.port === '' ? 443 : Number(url.port), authority: url.host };
}
