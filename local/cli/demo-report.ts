import { onboardFailedSchema, onboardSucceededSchema, type RunView, type StepView } from '../../cli/run-api-schemas';
import type { WorldSnapshot } from './world-snapshot';

const AUTH_SERVER_NAME = 'MicrosoftSts';

export type AuthServerAction = 'created' | 'updated' | 'unchanged';

/** The one JSON object `npm run demo -- --json` prints. Optional fields are present when known. */
export interface DemoReport {
    readonly outcome: 'succeeded' | 'failed';
    readonly instanceId: string | null;
    readonly steps: readonly { readonly id: string; readonly state: StepView['state']; readonly detail: string | null }[];
    readonly probe?: { readonly resultType: 'Succeeded' | 'Failed'; readonly attempts: number };
    readonly certificate?: { readonly thumbprint: string; readonly notAfter: string; readonly source: 'created' | 'reused'; readonly keyVaultName: string | null };
    /** As the API's output: the servers the certificate was imported on, and those that already had it. */
    readonly installed?: { readonly imported: readonly string[]; readonly present: readonly string[] };
    readonly authServer?: AuthServerAction;
    readonly keyCredentials: { readonly before: readonly string[]; readonly after: readonly string[] };
    /** What the run changed, in order, as the API's output says (a failed run's too). */
    readonly changes: readonly string[];
    readonly error?: { readonly step: string; readonly code: string; readonly message: string; readonly remedy: string | null };
}

export interface DemoRunResult {
    /** The run's final view; undefined when the API refused to start it. */
    readonly run?: RunView;
    /** Why the API refused to start the run. */
    readonly refused?: { readonly code: string; readonly message: string };
    readonly before: WorldSnapshot;
    readonly after: WorldSnapshot;
}

function stepState(run: RunView | undefined, id: string): StepView['state'] | undefined {
    return run?.steps.find((step) => step.id === id)?.state;
}

function runError(result: DemoRunResult): NonNullable<DemoReport['error']> {
    if (result.refused !== undefined) return { step: 'request', code: result.refused.code, message: result.refused.message, remedy: null };
    const error = result.run?.error;
    if (error) return { step: error.step, code: error.code, message: error.message, remedy: error.remedy ?? null };
    if (result.run?.runtimeStatus === 'Completed') return { step: 'run', code: 'unexpected_output', message: 'the run completed with an output that is not a succeeded onboarding', remedy: null };
    return { step: 'run', code: 'unexpected_status', message: `the run ended ${result.run?.runtimeStatus ?? 'without a status'}`, remedy: null };
}

/** A failed run has no output: what it did is read from the world, and only where a step says it got that far. */
function knownFromWorld(result: DemoRunResult): Pick<DemoReport, 'probe' | 'certificate' | 'authServer'> {
    const { run, before, after } = result;
    const existed = new Set(before.keyVault.certificates.map((c) => `${c.name}/${c.version}`));
    const created = after.keyVault.certificates.find((c) => c.status === 'issued' && !existed.has(`${c.name}/${c.version}`));
    const probeState = stepState(run, 'probe');
    const probes = after.exchange.probesRun - before.exchange.probesRun;
    const authServerDone = stepState(run, 'authServer') === 'succeeded';
    return {
        ...((probeState === 'succeeded' || probeState === 'failed') && probes > 0 ? { probe: { resultType: probeState === 'succeeded' ? 'Succeeded' : 'Failed', attempts: probes } } : {}),
        ...(created?.thumbprint && created.notAfter ? { certificate: { thumbprint: created.thumbprint, notAfter: created.notAfter, source: 'created', keyVaultName: created.name } } : {}),
        ...(authServerDone ? { authServer: authServerChange(before, after) } : {}),
    };
}

function authServerChange(before: WorldSnapshot, after: WorldSnapshot): AuthServerAction {
    const find = (world: WorldSnapshot) => world.exchange.authServers.find((s) => s.name.toLowerCase() === AUTH_SERVER_NAME.toLowerCase());
    const was = find(before);
    if (was === undefined) return 'created';
    return was.authMetadataUrl?.toLowerCase() === find(after)?.authMetadataUrl?.toLowerCase() ? 'unchanged' : 'updated';
}

/** The --json object: the API's own output when the run succeeded; otherwise its error and what the world shows. */
export function buildDemoReport(result: DemoRunResult): DemoReport {
    const { run, before, after } = result;
    const base = {
        instanceId: run?.instanceId ?? null,
        steps: (run?.steps ?? []).map((step) => ({ id: step.id, state: step.state, detail: step.detail ?? null })),
    };
    const output = run?.runtimeStatus === 'Completed' ? onboardSucceededSchema.safeParse(run.output) : undefined;
    if (output?.success === true) {
        const { certificate, installed, probe, authServer, keyCredentials, changes } = output.data;
        return {
            outcome: 'succeeded',
            ...base,
            probe: { resultType: probe.resultType, attempts: probe.attempts },
            certificate: { thumbprint: certificate.thumbprint, notAfter: certificate.notAfter, source: certificate.source, keyVaultName: certificate.keyVaultName },
            installed,
            authServer,
            keyCredentials: { before: keyCredentials.before, after: keyCredentials.after },
            changes: changes ?? [],
        };
    }
    const failed = onboardFailedSchema.safeParse(run?.output);
    return {
        outcome: 'failed',
        ...base,
        ...knownFromWorld(result),
        keyCredentials: { before: before.entra.keyCredentials.map((k) => k.keyId), after: after.entra.keyCredentials.map((k) => k.keyId) },
        changes: failed.success ? failed.data.changes : [],
        error: runError(result),
    };
}

/** The closing lines: the probe result, or the error and what to do. */
export function renderOutcome(report: DemoReport): string[] {
    if (report.outcome === 'succeeded') {
        const probe = report.probe;
        return [
            `Onboarding succeeded (${report.instanceId ?? ''}).`,
            `Probe PushNotificationsEnterpriseConnectivityProbe: ${probe?.resultType ?? 'unknown'} on attempt ${probe?.attempts ?? '?'}.`,
        ];
    }
    const error = report.error;
    return [
        `Onboarding failed at step ${error?.step ?? 'run'} (${error?.code ?? 'unknown'}): ${error?.message ?? ''}`,
        ...(report.probe ? [`Probe: ${report.probe.resultType} after ${report.probe.attempts} attempt(s).`] : []),
        ...(error?.remedy ? [`What to do: ${error.remedy}`] : []),
    ];
}
