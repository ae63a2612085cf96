import type { StepView } from './run-api-schemas';

type StepState = StepView['state'];

const SYMBOL: Record<StepState, string> = { pending: '·', running: '▸', succeeded: '✓', skipped: '–', failed: '✗' };
const ANSI_COLOR: Record<StepState, string> = { pending: '2', running: '33', succeeded: '32', skipped: '36', failed: '31' };
const STATE_WIDTH = 'succeeded'.length;

export interface StepTableStyle {
    /** ANSI colors on the state symbol. */
    readonly color?: boolean;
    /** Terminal columns: longer lines are cut, so that a redraw knows how many lines it drew. */
    readonly width?: number;
    /** Now on the run's clock: running steps show for how long they have been running. */
    readonly nowMs?: number;
}

function colored(symbol: string, state: StepState, style: StepTableStyle): string {
    return style.color === true ? `\u001b[${ANSI_COLOR[state]}m${symbol}\u001b[0m` : symbol;
}

function cut(line: string, width: number | undefined): string {
    if (width === undefined || width < 2 || line.length < width) return line;
    return `${line.slice(0, width - 2)}…`;
}

function runningFor(step: StepView, nowMs: number | undefined): string | undefined {
    if (step.state !== 'running' || nowMs === undefined || step.startedAt === undefined) return undefined;
    return `(${Math.max(0, Math.floor((nowMs - Date.parse(step.startedAt)) / 1000))} s)`;
}

/** The step table as lines: symbol, title, state, detail. */
export function renderStepTable(steps: readonly StepView[], style: StepTableStyle = {}): string[] {
    const titleWidth = Math.max(0, ...steps.map((step) => step.title.length));
    return steps.map((step) => {
        const detail = [step.detail, runningFor(step, style.nowMs)].filter((part) => part !== undefined && part !== '').join(' ');
        const plain = `${SYMBOL[step.state]} ${step.title.padEnd(titleWidth)}  ${step.state.padEnd(STATE_WIDTH)}  ${detail}`.trimEnd();
        const line = cut(plain, style.width);
        return `${colored(line.charAt(0), step.state, style)}${line.slice(1)}`;
    });
}

/**
 * One line per step whose state or detail changed since `previous` (undefined: the first view, where
 * only steps that already left "pending" are reported). For logs and pipes, where a redraw is impossible.
 */
export function stepTransitions(previous: readonly StepView[] | undefined, next: readonly StepView[]): string[] {
    const before = new Map((previous ?? []).map((step) => [step.id, step]));
    const idWidth = Math.max(0, ...next.map((step) => step.id.length));
    return next
        .filter((step) => {
            const old = before.get(step.id);
            return old === undefined ? step.state !== 'pending' : old.state !== step.state || old.detail !== step.detail;
        })
        .map((step) => `${SYMBOL[step.state]} ${step.id.padEnd(idWidth)}  ${step.state.padEnd(STATE_WIDTH)}  ${step.detail ?? step.title}`.trimEnd());
}
