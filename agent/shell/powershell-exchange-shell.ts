import { existsSync } from 'node:fs';
import { join, resolve, win32 } from 'node:path';
import { PermanentError, TransientError } from '../../lib/errors';
import { Logger, silentSink } from '../../lib/logger';
import type {
    EnablePushProxyParams,
    EnablePushProxyResult,
    EnsureAuthServerParams,
    EnsureAuthServerResult,
    InstallCertificateResult,
    InvokeProbeParams,
    InvokeProbeResult,
    OperationName,
    RestartAuthServicesParams,
    RestartAuthServicesResult,
    RestartHealthManagerParams,
    RestartHealthManagerResult,
    SetAuthConfigParams,
    SetAuthConfigResult,
    ShellInventory,
} from '../../lib/protocol';
import { REDACTED, redactText } from '../../lib/redact';
import type { ExchangeShell, InstallCertificateRequest, ShellReadiness } from '../exchange-shell';
import { HostProcess } from './host-process';
import { HOST_SCRIPT } from './script-catalog';

export type ExchangeConnection =
    | { readonly mode: 'snapIn' }
    | { readonly mode: 'remote'; readonly connectionUri: string; readonly authentication?: 'Kerberos' | 'Negotiate' | 'Default' };

export interface PowerShellExchangeShellOptions {
    readonly connection: ExchangeConnection;
    /** Default: Windows PowerShell 5.1 by its absolute path (which the Exchange cmdlets need), see windowsPowerShellPath. */
    readonly command?: string;
    /** Replaces the whole argument list (tests run a stand-in host with it). */
    readonly args?: readonly string[];
    readonly env?: NodeJS.ProcessEnv;
    readonly scriptsFolder?: string;
    /** Loading the Exchange cmdlets takes seconds; a remote session more. Default 180 s. */
    readonly startTimeoutMs?: number;
    /** Per script run. Default 300 s. */
    readonly callTimeoutMs?: number;
    readonly logger?: Logger;
}

/** scripts\ beside a bundled agent.js, agent/scripts from the source tree, or from dist/agent/shell. */
export function defaultScriptsFolder(): string {
    const candidates = [resolve(__dirname, 'scripts'), resolve(__dirname, '../scripts'), resolve(__dirname, '../../../agent/scripts')];
    return candidates.find((folder) => existsSync(join(folder, HOST_SCRIPT))) ?? candidates[0]!;
}

/**
 * %SystemRoot%\System32\WindowsPowerShell\v1.0\powershell.exe: by its absolute path, so that no
 * powershell.exe earlier on the PATH (or in the agent's working folder) runs instead.
 */
export function windowsPowerShellPath(env: NodeJS.ProcessEnv = process.env): string {
    return win32.join(env.SystemRoot ?? env.SYSTEMROOT ?? 'C:\\Windows', 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
}

export function powershellArguments(scriptsFolder: string, connection: ExchangeConnection): string[] {
    const base = ['-NoLogo', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-File', join(scriptsFolder, HOST_SCRIPT), '-ScriptsFolder', scriptsFolder];
    if (connection.mode === 'snapIn') return [...base, '-Mode', 'SnapIn'];
    return [...base, '-Mode', 'Remote', '-ConnectionUri', connection.connectionUri, '-Authentication', connection.authentication ?? 'Kerberos'];
}

/**
 * An Exchange error as the agent answers it, by what PowerShell says it was: a remote session that
 * dropped or could not be opened (WinRM's PSRemotingTransportException, a broken PSSession) is
 * transient and retried; anything else is Exchange refusing, which retrying will not change.
 */
export function classifyExchangeError(script: string, message: string, errorId: string | null, exceptionType: string | null): PermanentError | TransientError {
    const said = `${errorId ?? ''} ${exceptionType ?? ''}`;
    if (/PSRemotingTransport|PSRemotingDataStructure|PSSessionStateBroken|RemoteSessionBroken/i.test(said)) {
        return new TransientError('exchange_unreachable', `${script}: the Exchange session dropped: ${message}`);
    }
    return new PermanentError('exchange_failed', `${script}: ${message}`);
}

/** Removes the values of secret parameters from text that came back from PowerShell (binding errors echo values). */
function scrub(text: string, secrets: readonly string[]): string {
    let out = text;
    for (const secret of secrets) if (secret.length > 0) out = out.split(secret).join(REDACTED);
    return redactText(out);
}

/**
 * One long-lived Windows PowerShell process that loads the Exchange cmdlets once and runs the
 * allowlisted scripts one at a time over JSON lines. A host that dies or hangs is replaced on the
 * next call; values reach scripts only as bound parameters.
 */
export class PowerShellExchangeShell implements ExchangeShell {
    private host: HostProcess | undefined;
    private starting: Promise<HostProcess> | undefined;
    private queue: Promise<unknown> = Promise.resolve();
    private nextId = 1;
    private startCount = 0;
    private readonly logger: Logger;
    private readonly command: string;
    private readonly args: readonly string[];

    constructor(private readonly options: PowerShellExchangeShellOptions) {
        this.logger = options.logger ?? new Logger({ component: 'powershell-shell' }, silentSink);
        this.command = options.command ?? windowsPowerShellPath();
        this.args = options.args ?? powershellArguments(options.scriptsFolder ?? defaultScriptsFolder(), options.connection);
    }

    /** How many host processes have been started (one load of the Exchange cmdlets each). */
    get starts(): number {
        return this.startCount;
    }

    get hostPid(): number | undefined {
        return this.host?.alive === true ? this.host.pid : undefined;
    }

    inventory(): Promise<ShellInventory> {
        return this.runScript('inventory', {}) as Promise<ShellInventory>;
    }

    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult> {
        const parameters: Record<string, unknown> = { Thumbprint: request.thumbprint, PrivateKeyExportable: request.privateKeyExportable };
        if (request.servers !== undefined) parameters.Servers = [...request.servers];
        const secrets: string[] = [];
        if (request.source.kind === 'pfx') {
            parameters.PfxBase64 = request.source.pfx.toString('base64');
            parameters.PfxPassword = request.source.password;
            secrets.push(parameters.PfxBase64 as string, request.source.password);
        } else {
            parameters.SourceServer = request.source.server;
        }
        return this.runScript('installCertificate', parameters, secrets) as Promise<InstallCertificateResult>;
    }

    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult> {
        const parameters: Record<string, unknown> = { Action: params.action };
        if ('thumbprint' in params) parameters.Thumbprint = params.thumbprint;
        if (params.action === 'stageNext') parameters.EffectiveDate = params.effectiveDate;
        return this.runScript('setAuthConfig', parameters) as Promise<SetAuthConfigResult>;
    }

    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult> {
        return this.runScript('ensureAuthServer', { Name: params.name, AuthMetadataUrl: params.authMetadataUrl }) as Promise<EnsureAuthServerResult>;
    }

    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult> {
        return this.runScript('enablePushProxy', { Organization: params.organization, Uri: params.uri }) as Promise<EnablePushProxyResult>;
    }

    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult> {
        return this.runScript('restartHealthManager', params.servers === undefined ? {} : { Servers: [...params.servers] }) as Promise<RestartHealthManagerResult>;
    }

    restartAuthServices(params: RestartAuthServicesParams): Promise<RestartAuthServicesResult> {
        return this.runScript('restartAuthServices', params.servers === undefined ? {} : { Servers: [...params.servers] }) as Promise<RestartAuthServicesResult>;
    }

    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult> {
        return this.runScript('invokeProbe', params.server === undefined ? {} : { Server: params.server }) as Promise<InvokeProbeResult>;
    }

    async checkReady(): Promise<ShellReadiness> {
        const host = await this.enqueue(() => this.ensureHost());
        return { mode: host.ready.mode, missingCmdlets: host.ready.missingCmdlets };
    }

    async close(): Promise<void> {
        await this.queue.catch(() => undefined);
        const host = this.host;
        this.host = undefined;
        await host?.close(5000);
    }

    /** Runs one allowlisted script with bound parameters; the result is checked against the protocol by the caller. */
    runScript(script: OperationName, parameters: Readonly<Record<string, unknown>>, secrets: readonly string[] = []): Promise<unknown> {
        return this.enqueue(async () => {
            const host = await this.ensureHost();
            const id = this.nextId++;
            const reply = await host.run({ type: 'run', id, script, parameters }, this.options.callTimeoutMs ?? 300_000);
            if (reply.ok) {
                if (reply.warnings.length > 0) this.logger.info('script warnings', { script, warnings: reply.warnings.map((w) => scrub(w, secrets)) });
                return reply.result;
            }
            throw classifyExchangeError(script, scrub(reply.error.message, secrets), reply.error.errorId, reply.error.exceptionType);
        });
    }

    private enqueue<T>(work: () => Promise<T>): Promise<T> {
        const result = this.queue.then(work, work);
        this.queue = result.catch(() => undefined);
        return result;
    }

    private async ensureHost(): Promise<HostProcess> {
        if (this.host?.alive === true) return this.host;
        this.starting ??= (async () => {
            this.startCount += 1;
            this.logger.info('starting the PowerShell host', { start: this.startCount });
            try {
                const host = await HostProcess.start({
                    command: this.command,
                    args: this.args,
                    startTimeoutMs: this.options.startTimeoutMs ?? 180_000,
                    logger: this.logger,
                    ...(this.options.env === undefined ? {} : { env: this.options.env }),
                });
                this.host = host;
                return host;
            } finally {
                this.starting = undefined;
            }
        })();
        try {
            return await this.starting;
        } catch (error) {
            if (error instanceof TransientError) throw error;
            throw new TransientError('shell_unavailable', 'The PowerShell host could not be started.', { cause: error });
        }
    }
}
