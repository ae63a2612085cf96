import type { CliStream } from './cli-io';
import { isRunning } from './api-client';
import type { RunView, StepView } from './run-api-schemas';
import { renderStepTable, stepTransitions } from './step-table-render';

const CURSOR_UP = (lines: number) => `\u001b[${lines}A`;
const CLEAR_TO_END = '\u001b[0J';

export interface LiveStepViewOptions {
    /** False when something else writes to the same stream (e.g. logs), which would break a redraw. */
    readonly redraw: boolean;
    /** Now on the run's clock, for the time a running step has been running. */
    readonly now: () => number;
}

/**
 * Shows a run's step table as it changes: redrawn in place on a terminal, otherwise one line per
 * transition so that a log or a pipe reads as a history.
 */
export class LiveStepView {
    private previous: readonly StepView[] | undefined;
    private drawnLines = 0;

    constructor(
        private readonly stream: CliStream,
        private readonly options: LiveStepViewOptions,
    ) {}

    private get redrawing(): boolean {
        return this.options.redraw && this.stream.isTTY === true;
    }

    update(run: RunView): void {
        if (this.redrawing) this.redraw(run.steps, isRunning(run));
        else for (const line of stepTransitions(this.previous, run.steps)) this.stream.write(`${line}\n`);
        this.previous = run.steps;
    }

    /** While the run goes on, lines are cut to the terminal's width so that the next redraw erases exactly them; the final table is shown whole. */
    private redraw(steps: readonly StepView[], running: boolean): void {
        const lines = renderStepTable(steps, {
            color: true,
            nowMs: this.options.now(),
            ...(running && this.stream.columns !== undefined ? { width: this.stream.columns } : {}),
        });
        const erase = this.drawnLines > 0 ? `${CURSOR_UP(this.drawnLines)}${CLEAR_TO_END}` : '';
        this.stream.write(`${erase}${lines.join('\n')}\n`);
        this.drawnLines = lines.length;
    }
}
