import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from '../../../lib/logger';
import { defaultScriptsFolder, type ExchangeConnection, PowerShellExchangeShell, powershellArguments } from '../../../agent/shell/powershell-exchange-shell';
import { HOST_SCRIPT } from '../../../agent/shell/script-catalog';
import type { SimulatedExchange } from '../simulated-exchange';
import { ExchangeDoubleChannel } from './double-channel';

export const POWERSHELL_VERSION = '7.6.10';
export const POWERSHELL_INSTALL_HINT = `PowerShell is needed: install PowerShell 7 (\`dotnet tool install --global PowerShell --version ${POWERSHELL_VERSION}\`) or set PPO_TEST_POWERSHELL to a PowerShell executable (powershell.exe on Windows).`;

const BOOTSTRAP = 'Start-ExchangeDoubleHost.ps1';

/** This folder in the source tree, also when running from dist/ (the .ps1 files are not compiled). */
function doubleFolder(): string {
    const candidates = [resolve(__dirname), resolve(__dirname, '../../../../local/exchange/powershell')];
    return candidates.find((folder) => existsSync(join(folder, BOOTSTRAP))) ?? candidates[0]!;
}

function runs(executable: string): boolean {
    const result = spawnSync(executable, ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.Major'], { encoding: 'utf8', timeout: 60_000 });
    return result.status === 0;
}

let found: string | undefined;

/**
 * The PowerShell the double runs in: PPO_TEST_POWERSHELL (npm test sets it; on Windows it may name
 * powershell.exe 5.1), else pwsh on the PATH, else the .NET tool's. Throws one line saying how to
 * install it: the PowerShell suites fail, they are never skipped.
 */
export function findPowerShell(env: NodeJS.ProcessEnv = process.env): string {
    if (found !== undefined) return found;
    const configured = env.PPO_TEST_POWERSHELL;
    if (configured !== undefined && configured !== '') {
        if (!runs(configured)) throw new Error(`PPO_TEST_POWERSHELL=${configured} does not run. ${POWERSHELL_INSTALL_HINT}`);
        found = configured;
        return configured;
    }
    const dotnetTool = join(homedir(), '.dotnet', 'tools', process.platform === 'win32' ? 'pwsh.exe' : 'pwsh');
    for (const candidate of ['pwsh', dotnetTool]) {
        if (runs(candidate)) {
            found = candidate;
            return candidate;
        }
    }
    throw new Error(POWERSHELL_INSTALL_HINT);
}

export interface PowerShellDoubleOptions {
    /** SnapIn (default) or Remote to the connected server's http://<fqdn>/PowerShell/. */
    readonly mode?: 'snapIn' | 'remote';
    /** Remote mode: another ConnectionUri than the connected server's (a wrong endpoint). */
    readonly connectionUri?: string;
    readonly powershell?: string;
    /** Cmdlets the session lacks (an RBAC role without them). */
    readonly withoutCmdlets?: readonly string[];
    readonly startTimeoutMs?: number;
    readonly callTimeoutMs?: number;
    readonly logger?: Logger;
    /** Extra environment of the PowerShell process (e.g. the agent host's USERDNSDOMAIN). */
    readonly env?: Readonly<Record<string, string>>;
    /** Override for the agent's scripts (tests of a broken script). */
    readonly scriptsFolder?: string;
}

/** The agent's real PowerShellExchangeShell running host.ps1 against the double, and the channel behind it. */
export interface PowerShellDouble {
    readonly shell: PowerShellExchangeShell;
    /** Another PowerShell host over the same double: one more session of the agent's pool. */
    openSession(): PowerShellExchangeShell;
    /** Every session so far: `shell` first, then those openSession made. */
    sessions(): readonly PowerShellExchangeShell[];
    readonly channel: ExchangeDoubleChannel;
    readonly connection: ExchangeConnection;
    close(): Promise<void>;
}

/**
 * Opens the loopback channel over `exchange` and builds the agent's shell with the production
 * arguments for host.ps1, routed through the double's bootstrap (which then runs host.ps1 itself).
 */
export async function startPowerShellDouble(exchange: SimulatedExchange, options: PowerShellDoubleOptions = {}): Promise<PowerShellDouble> {
    const powershell = options.powershell ?? findPowerShell();
    const cmdlets = exchange.cmdlets();
    const channel = await ExchangeDoubleChannel.open(cmdlets);
    const connected = cmdlets.connectedServer();
    const connection: ExchangeConnection = options.mode === 'remote' ? { mode: 'remote', connectionUri: options.connectionUri ?? `http://${connected.fqdn}/PowerShell/`, authentication: 'Kerberos' } : { mode: 'snapIn' };
    const scriptsFolder = options.scriptsFolder ?? defaultScriptsFolder();
    const production = powershellArguments(scriptsFolder, connection);
    const file = production.indexOf('-File');
    const hostScript = production[file + 1] ?? join(scriptsFolder, HOST_SCRIPT);
    const args = [
        ...production.slice(0, file),
        '-File',
        join(doubleFolder(), BOOTSTRAP),
        '-HostScript',
        hostScript,
        '-DoubleUrl',
        channel.url,
        '-ComputerName',
        connected.name,
        ...(options.withoutCmdlets !== undefined && options.withoutCmdlets.length > 0 ? ['-WithoutCmdlet', options.withoutCmdlets.join(',')] : []),
        ...production.slice(file + 2),
    ];
    const makeShell = (): PowerShellExchangeShell =>
        new PowerShellExchangeShell({
            connection,
            command: powershell,
            args,
            env: { ...process.env, ...options.env, PPO_EXCHANGE_DOUBLE_TOKEN: channel.token },
            startTimeoutMs: options.startTimeoutMs ?? 180_000,
            callTimeoutMs: options.callTimeoutMs ?? 120_000,
            ...(options.logger === undefined ? {} : { logger: options.logger }),
        });
    const shell = makeShell();
    const more: PowerShellExchangeShell[] = [];
    return {
        shell,
        openSession: () => {
            const session = makeShell();
            more.push(session);
            return session;
        },
        sessions: () => [shell, ...more],
        channel,
        connection,
        close: async () => {
            await Promise.all([shell, ...more].map((session) => session.close()));
            await channel.close();
        },
    };
}
