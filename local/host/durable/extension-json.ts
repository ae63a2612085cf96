/**
 * The Durable extension reads what an out-of-process orchestrator returns with Newtonsoft.Json's
 * `JObject.Parse` (TaskOrchestrationShim.cs `OrchestrationInvocationResult.ParseOOProcResult`), whose
 * default DateParseHandling.DateTime turns every string shaped like an ISO-8601 date-time into a
 * DateTime; MessagePayloadDataConverter.cs then writes it back in round-trip form
 * ("yyyy-MM-ddTHH:mm:ss.FFFFFFFK"): trailing zeros of the fraction dropped, the dot too when nothing is
 * left. Activity inputs (and sub-orchestration inputs) and activity results reach the history this way,
 * so "…T09:00:00.000Z" comes back as "…T09:00:00Z" and ".340+09:00" as ".34+09:00".
 */
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?$/;

export function roundTripDate(text: string): string {
    const match = ISO_DATE_TIME.exec(text);
    if (!match) return text;
    const [, seconds, fraction, zone] = match;
    const trimmed = (fraction ?? '').replace(/0+$/, '');
    return `${seconds}${trimmed.length > 0 ? `.${trimmed}` : ''}${zone ?? ''}`;
}

function reformat(value: unknown): unknown {
    if (typeof value === 'string') return roundTripDate(value);
    if (Array.isArray(value)) return value.map(reformat);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reformat(inner)]));
    return value;
}

/** The JSON text as the extension stores it after its Newtonsoft round trip (dates reformatted). */
export function throughExtension(json: string | null): string | null {
    if (json === null) return null;
    return JSON.stringify(reformat(JSON.parse(json) as unknown));
}
