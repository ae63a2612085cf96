import type { ShellOperation } from './forwarding-shell';
import { ForwardingExchangeShell } from './forwarding-shell';

/**
 * One Exchange session of the local agent: its operations one after the other, as the agent's
 * PowerShellExchangeShell runs its scripts (one PowerShell host, one runspace, which runs one pipeline
 * at a time: about_Runspaces, learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_runspaces).
 * The local agent runs the agent's own pool (agent/shell/exchange-shell-pool.ts) over several of these,
 * so that the virtual clock prices what the real agent does: N sessions side by side, each serial, and
 * not one shell for everything nor every call at once.
 */
export class OneSessionShell extends ForwardingExchangeShell {
    private queue: Promise<unknown> = Promise.resolve();

    override get sessions(): number {
        return 1;
    }

    protected around<T>(_operation: ShellOperation, run: () => Promise<T>): Promise<T> {
        const result = this.queue.then(run, run);
        this.queue = result.catch(() => undefined);
        return result;
    }
}
