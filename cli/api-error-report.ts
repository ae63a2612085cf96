import { EXIT } from './cli-io';
import type { ApiError } from './ppo-api';

/** 400 means the arguments were wrong, as a local usage error would; anything else is a failure. */
export function exitCodeFor(error: ApiError): number {
    return error.status === 400 ? EXIT.usage : EXIT.failed;
}

function instanceIdOf(statusUrl: string): string | undefined {
    const last = statusUrl.split('/').pop();
    return last === undefined || last === '' ? undefined : decodeURIComponent(last);
}

/**
 * What ppo prints when the API refuses: the status and code, then each bad field (with the option
 * that sets it, when `fieldOptions` knows it) and, for a run in the way, how to follow that run.
 */
export function apiErrorLines(error: ApiError, fieldOptions: Readonly<Record<string, string>> = {}): string[] {
    const lines = [`ppo: the API answered ${error.status} (${error.code}): ${error.issues.length > 0 ? 'the request has invalid fields' : error.message}`];
    for (const issue of error.issues) {
        const option = fieldOptions[issue.field];
        lines.push(`  ${issue.field}${option === undefined ? '' : ` (${option})`}: ${issue.reason}`);
    }
    const running = error.statusUrl === undefined ? undefined : instanceIdOf(error.statusUrl);
    if (running !== undefined) lines.push(`  Follow the run in progress: ppo status ${running}`);
    return lines;
}

/** The refusal as --json prints it on stdout. */
export function apiErrorJson(error: ApiError): Record<string, unknown> {
    return {
        status: error.status,
        error: { code: error.code, message: error.message, ...(error.issues.length > 0 ? { issues: error.issues } : {}), ...(error.statusUrl === undefined ? {} : { statusUrl: error.statusUrl }) },
    };
}
