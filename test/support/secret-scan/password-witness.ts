import type { InstallCertificateRequest } from '../../../agent/exchange-shell';
import type { InstallCertificateResult } from '../../../lib/protocol';
import { ForwardingExchangeShell, type ShellOperation } from '../../../local/exchange/forwarding-shell';

/**
 * A shell decorator that notes the password of every PFX the agent hands to Exchange: the only
 * place a test can learn the fresh passwords of the re-wrap, to search for them everywhere else.
 */
export class PasswordWitnessShell extends ForwardingExchangeShell {
    readonly passwords: string[] = [];

    override installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        if (request.source.kind === 'pfx') this.passwords.push(request.source.password);
        return super.installCertificate(request);
    }

    protected around<T>(_operation: ShellOperation, run: () => Promise<T>): Promise<T> {
        return run();
    }
}
