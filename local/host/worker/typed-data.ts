import type { RpcTypedData } from './core-api-types';

/** Host to worker: how the Functions host encodes a binding value it sends to the Node.js worker. */
export function toTypedData(value: unknown): RpcTypedData | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return { string: value };
    if (value instanceof Uint8Array) return { bytes: value };
    return { json: JSON.stringify(value) };
}

/** Worker to host: the value a function returned, as the host sees it. Strings stay strings. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
    if (!data) return undefined;
    if (typeof data.string === 'string') return data.string;
    if (typeof data.json === 'string') return JSON.parse(data.json) as unknown;
    if (data.bytes) return Buffer.from(data.bytes);
    if (data.stream) return Buffer.from(data.stream);
    if (typeof data.int === 'number') return data.int;
    if (typeof data.double === 'number') return data.double;
    if (data.http) return data.http;
    return undefined;
}
