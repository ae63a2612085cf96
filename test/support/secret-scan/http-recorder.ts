import { vi } from 'vitest';

/** The HTTP responses a test received from a base URL, as text. */
export interface HttpRecorder {
    readonly responses: { readonly url: string; readonly status: number; readonly text: string }[];
}

const realFetch = globalThis.fetch.bind(globalThis);
const active = new Set<{ readonly baseUrl: () => string | undefined; readonly recorder: HttpRecorder }>();

async function recordingFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
    const response = await realFetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    for (const { baseUrl, recorder } of active) {
        const base = baseUrl();
        if (base !== undefined && url.startsWith(base)) recorder.responses.push({ url, status: response.status, text: await response.clone().text() });
    }
    return response;
}

/**
 * Records every response that fetch brings back from `baseUrl()` (the app's API and the durable
 * HTTP API), passing it on unchanged. The spy lasts for the current test (restoreMocks); several
 * worlds of one test each get their own recorder.
 */
export function recordHttpResponses(baseUrl: () => string | undefined): HttpRecorder {
    if (!vi.isMockFunction(globalThis.fetch)) {
        active.clear();
        vi.spyOn(globalThis, 'fetch').mockImplementation(recordingFetch);
    }
    const recorder: HttpRecorder = { responses: [] };
    active.add({ baseUrl, recorder });
    return recorder;
}
