import { TransientError } from '../../lib/errors';
import { ForwardingExchangeShell, type ShellOperation } from './forwarding-shell';

/**
 * How a shell call fails, as the PowerShell host fails: `unavailable` before the script runs (the
 * host is not running), `timeout` after it ran (the host was killed at the script's time limit, so
 * the caller cannot know whether Exchange changed).
 */
export type ShellFaultKind = 'unavailable' | 'timeout';

export interface ShellFault {
    /** 1-based ordinal of the operation call on this shell, counted from inject(). */
    readonly call: number;
    readonly kind: ShellFaultKind;
}

/** A shell that fails the planned calls with the transient errors of the PowerShell host and runs every other call unchanged. */
export class FaultyExchangeShell extends ForwardingExchangeShell {
    private calls = 0;
    private byCall: ReadonlyMap<number, ShellFaultKind> = new Map();
    /** The faults that fired, in order: "<call> <operation> <kind>". */
    readonly fired: string[] = [];

    /** Plans faults for the calls from now on (replacing any earlier plan). */
    inject(faults: readonly ShellFault[]): void {
        this.calls = 0;
        this.byCall = new Map(faults.map((fault) => [fault.call, fault.kind]));
    }

    protected async around<T>(operation: ShellOperation, run: () => Promise<T>): Promise<T> {
        const call = ++this.calls;
        const fault = this.byCall.get(call);
        if (fault !== undefined) this.fired.push(`${call} ${operation} ${fault}`);
        if (fault === 'unavailable') throw new TransientError('shell_unavailable', 'The PowerShell host is not running.');
        const result = await run();
        if (fault === 'timeout') throw new TransientError('shell_timeout', `The ${operation} script did not finish within its time limit; the PowerShell host was restarted.`);
        return result;
    }
}
