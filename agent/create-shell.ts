import type { Logger } from '../lib/logger';
import type { ShellConfig } from './config';
import type { ExchangeShell } from './exchange-shell';
import { ExchangeShellPool } from './shell/exchange-shell-pool';
import { PowerShellExchangeShell } from './shell/powershell-exchange-shell';

/** The configuration's Exchange sessions: a pool of `sessions` PowerShell shells, each opened when first needed. */
export function createPowerShellShell(config: ShellConfig, logger: Logger): ExchangeShell {
    return new ExchangeShellPool({
        sessions: config.sessions,
        openSession: (index) =>
            new PowerShellExchangeShell({
                connection: config.mode === 'snapIn' ? { mode: 'snapIn' } : { mode: 'remote', connectionUri: config.connectionUri, authentication: config.authentication },
                ...(config.powershellPath === undefined ? {} : { command: config.powershellPath }),
                startTimeoutMs: config.startTimeoutSeconds * 1000,
                callTimeoutMs: config.callTimeoutSeconds * 1000,
                logger: logger.child({ component: 'powershell-shell', session: index + 1 }),
            }),
    });
}
