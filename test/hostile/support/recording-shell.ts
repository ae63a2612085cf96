import { ForwardingExchangeShell, type ShellOperation } from '../../../local/exchange/forwarding-shell';

/**
 * Records every call that reaches the shell, then hands it to a real one (the simulated Exchange
 * organization): "no Exchange command ran" is checked at the interface, before any cmdlet.
 */
export class RecordingShell extends ForwardingExchangeShell {
    readonly calls: ShellOperation[] = [];

    protected around<T>(operation: ShellOperation, run: () => Promise<T>): Promise<T> {
        this.calls.push(operation);
        return run();
    }
}
