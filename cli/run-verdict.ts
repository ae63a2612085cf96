import { onboardSucceededSchema, type RunErrorView, type RunView } from './run-api-schemas';
import { onboardDryRunSchema, verifyResultSchema } from './ppo-api-schemas';

/** How a finished run went, for the exit code, and the closing lines that say so. */
export interface RunVerdict {
    readonly ok: boolean;
    readonly lines: readonly string[];
}

function plural(count: number, word: string): string {
    return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The structured error of a failed run: which step, what happened, what to do. */
export function runErrorLines(what: string, error: RunErrorView): string[] {
    return [`${what} failed at step ${error.step} (${error.code}): ${error.message}`, ...(error.remedy === undefined ? [] : [`  What to do: ${error.remedy}`])];
}

function unexpectedEnd(what: string, run: RunView): RunVerdict {
    if (run.error !== null) return { ok: false, lines: runErrorLines(what, run.error) };
    const how = run.runtimeStatus === 'Completed' ? 'completed with an output ppo does not recognize' : `ended ${run.runtimeStatus}`;
    return { ok: false, lines: [`${what} ${how} (run ${run.instanceId}).`] };
}

export function onboardVerdict(run: RunView): RunVerdict {
    if (run.runtimeStatus !== 'Completed' || run.error !== null) return unexpectedEnd('Onboarding', run);
    const dryRun = onboardDryRunSchema.safeParse(run.output);
    if (dryRun.success) {
        const planned = dryRun.data.plannedChanges;
        return {
            ok: true,
            lines: planned.length === 0 ? ['Dry run: nothing to change; everything is already in place.'] : ['Dry run: nothing was written. A real run would:', ...planned.map((change) => `  - ${change}`)],
        };
    }
    const succeeded = onboardSucceededSchema.safeParse(run.output);
    if (!succeeded.success) return unexpectedEnd('Onboarding', run);
    const { certificate, authServer, keyCredentials, probe, changes = [] } = succeeded.data;
    return {
        ok: true,
        lines: [
            `Onboarding succeeded (run ${run.instanceId}).`,
            `  Certificate      ${certificate.thumbprint} (${certificate.source}), valid until ${certificate.notAfter}`,
            `  AuthServer       ${authServer}`,
            `  Key credentials  ${keyCredentials.before.length} before, ${keyCredentials.after.length} after`,
            `  Probe            ${probe.resultType} on ${probe.server} after ${plural(probe.attempts, 'attempt')}`,
            ...(changes.length === 0 ? ['  Changes          none: everything was already in place'] : ['  Changes', ...changes.map((change) => `    - ${change}`)]),
        ],
    };
}

const CHECK_SYMBOL: Readonly<Record<string, string>> = { ok: '✓', repaired: '✓', drifted: '!', failed: '✗' };

export function verifyVerdict(run: RunView, tenantDomain: string): RunVerdict {
    if (run.runtimeStatus !== 'Completed' || run.error !== null) return unexpectedEnd('Verification', run);
    const result = verifyResultSchema.safeParse(run.output);
    if (!result.success) return unexpectedEnd('Verification', run);
    const { outcome, mode, checks, rotation } = result.data;
    const idWidth = Math.max(0, ...checks.map((check) => check.id.length));
    const advice = outcome === 'drifted' ? [`Drift remains: repair it with ppo verify ${tenantDomain} --mode repair`] : [];
    return {
        ok: outcome === 'succeeded' || outcome === 'repaired',
        lines: [
            `Verification ${outcome} (${mode} mode, run ${run.instanceId}).`,
            ...checks.map((check) => `  ${CHECK_SYMBOL[check.state] ?? '?'} ${check.id.padEnd(idWidth)}  ${check.state.padEnd(8)}  ${check.detail}`.trimEnd()),
            ...(rotation === null ? [] : [`  Certificate rotation (${rotation.kind}): ${rotation.from} -> ${rotation.to}`]),
            ...advice,
        ],
    };
}
