import type { ExchangeShell, InstallCertificateRequest } from '../../agent/exchange-shell';
import type { InstallCertificateResult, RestartAuthServicesParams, RestartAuthServicesResult, RestartHealthManagerParams, RestartHealthManagerResult } from '../../lib/protocol';
import { agentCallBudget } from '../../lib/contracts/agent-call-budget';
import { ForwardingExchangeShell, type ShellOperation } from '../exchange/forwarding-shell';
import type { StandInLatency } from './stand-in-latency';

/**
 * An Exchange shell whose every operation first waits the simulated time of one Exchange operation,
 * and then one server operation per server it worked on, as the scripts do:
 * - imports one server after the other (Install-PushProxyCertificate.ps1: one Exchange session runs
 *   one pipeline at a time), so their times add up within one session; the agent's pool gives each
 *   session its share of the servers (agent/shell/exchange-shell-pool.ts), and the local agent wraps
 *   each session in one of these (local/stack/agent-sessions.ts), so shares wait side by side;
 * - restarts of MSExchangeHM, and of MSExchangeServiceHost with the OWA and ECP pools, through one
 *   Invoke-Command -ComputerName over every server (Invoke-OnEachServer in common.ps1), which runs at
 *   most -ThrottleLimit (32) computers at once and starts the next as soon as one ends (invoke-command
 *   reference, -ThrottleLimit): `throttleLimit` servers wait side by side, so the call lasts as long as
 *   its slowest chain of servers, not the sum. A server that fails is reported, not waited for longer.
 */
export class LatentExchangeShell extends ForwardingExchangeShell {
    constructor(
        inner: ExchangeShell,
        private readonly latency: StandInLatency,
        private readonly throttleLimit: number = agentCallBudget.remoteThrottleLimit,
    ) {
        super(inner);
    }

    protected async around<T>(_operation: ShellOperation, run: () => Promise<T>): Promise<T> {
        await this.latency.wait('exchangeOperation');
        return run();
    }

    override async installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        const result = await super.installCertificate(request);
        await this.oneAfterAnother(result.servers.filter((server) => server.outcome === 'imported').length);
        return result;
    }

    override async restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        const result = await super.restartHealthManager(params);
        await this.fannedOut(result.servers.length);
        return result;
    }

    override async restartAuthServices(params: RestartAuthServicesParams): Promise<RestartAuthServicesResult> {
        const result = await super.restartAuthServices(params);
        await this.fannedOut(result.servers.length);
        return result;
    }

    private async oneAfterAnother(count: number): Promise<void> {
        for (let i = 0; i < count; i++) await this.latency.wait('serverOperation');
    }

    /** `count` server operations, at most `throttleLimit` at a time, each slot taking the next as it frees. */
    private async fannedOut(count: number): Promise<void> {
        let next = 0;
        const slot = async (): Promise<void> => {
            while (next < count) {
                next++;
                await this.latency.wait('serverOperation');
            }
        };
        await Promise.all(Array.from({ length: Math.min(this.throttleLimit, count) }, slot));
    }
}
