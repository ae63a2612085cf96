/** Beyond this many servers, a detail or change line names the first few and counts the rest. */
const NAMED_IN_FULL = 6;
const NAMED_BEFORE_COUNT = 3;

/**
 * Servers for a step's detail or a line of `changes`: every name when there are a few; a count and the
 * first names when there are many, so the step table and the run's output do not grow with the
 * organization (issue 16, B5). Lists of servers that failed are written in full where they are reported.
 */
export function nameServers(servers: readonly string[]): string {
    if (servers.length <= NAMED_IN_FULL) return servers.join(', ');
    return `${servers.length} servers (${servers.slice(0, NAMED_BEFORE_COUNT).join(', ')} and ${servers.length - NAMED_BEFORE_COUNT} more)`;
}
