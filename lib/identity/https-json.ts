import https from 'node:https';

export interface JsonAnswer {
    readonly status: number;
    /** The parsed body, or undefined when there was none or it was not JSON. */
    readonly body: unknown;
}

export interface JsonRequest {
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: Buffer;
    readonly agent: https.Agent | undefined;
    readonly timeoutMs: number;
}

/** One HTTPS request through the product's outbound agent, its answer parsed as JSON; a network failure rejects with Node's error. */
export function requestJson(url: string, request: JsonRequest): Promise<JsonAnswer> {
    return new Promise((resolve, reject) => {
        const outgoing = https.request(
            url,
            {
                method: request.method ?? 'GET',
                headers: { ...request.headers, ...(request.body === undefined ? {} : { 'content-length': String(request.body.length) }) },
                ...(request.agent === undefined ? {} : { agent: request.agent }),
            },
            (response) => {
                const chunks: Buffer[] = [];
                response.on('data', (chunk: Buffer) => chunks.push(chunk));
                response.on('error', reject);
                response.on('end', () => {
                    let body: unknown;
                    try {
                        body = chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'));
                    } catch {
                        body = undefined;
                    }
                    resolve({ status: response.statusCode ?? 0, body });
                });
            },
        );
        outgoing.setTimeout(request.timeoutMs, () => outgoing.destroy(new Error(`no answer within ${request.timeoutMs / 1000} s`)));
        outgoing.on('error', reject);
        outgoing.end(request.body);
    });
}
