import { parseArgs } from 'node:util';
import { asUsageErrors, integerOption } from '../../cli/usage-error';
import { scenarioPathOption } from './cli-args';

export interface DemoOptions {
    readonly scenarioPath: string;
    /** settleSeconds of the onboarding request: the article's 120 s by default (the API accepts 0 to 900). */
    readonly settleSeconds: number;
    /** One JSON object on stdout at the end; progress on stderr. */
    readonly json: boolean;
    /** Durable timers fire at once: the whole run takes seconds instead of minutes. */
    readonly virtualClock: boolean;
    /** The agent runs its real PowerShell scripts against the Exchange cmdlet double. */
    readonly powershell: boolean;
    /** The local host's function logs on stderr. */
    readonly verbose: boolean;
    readonly help: boolean;
}

export const DEMO_USAGE = `Usage: npm run demo [-- [--scenario <file>] [--settle <seconds>] [--virtual-clock] [--powershell] [--json] [--verbose]]

Starts the local stack for a scenario, onboards its tenant through the HTTP API, shows the step
table live and summarizes what changed. Exits 0 only when onboarding succeeded.

  --scenario <file>   scenario file (default local/scenarios/default.json; see docs/scenarios.md)
  --settle <seconds>  wait after restarting MSExchangeHM before the probe, 0 to 900 (default 120)
  --virtual-clock     run durable timers on a virtual clock: a fast demo
  --powershell        run the agent's real PowerShell host and scripts against the Exchange cmdlet
                      double (needs PowerShell: PPO_TEST_POWERSHELL, pwsh, or ~/.dotnet/tools/pwsh)
  --json              print one JSON object on stdout at the end; progress goes to stderr
  --verbose           also print the local host's logs on stderr
`;

export function parseDemoArgs(argv: readonly string[], cwd: string): DemoOptions {
    const { values } = asUsageErrors(() =>
        parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                scenario: { type: 'string' },
                settle: { type: 'string' },
                json: { type: 'boolean', default: false },
                'virtual-clock': { type: 'boolean', default: false },
                powershell: { type: 'boolean', default: false },
                verbose: { type: 'boolean', default: false },
                help: { type: 'boolean', short: 'h', default: false },
            },
        }),
    );
    return {
        scenarioPath: scenarioPathOption(values.scenario, cwd),
        settleSeconds: values.settle === undefined ? 120 : integerOption('settle', values.settle, 0, 900),
        json: values.json,
        virtualClock: values['virtual-clock'],
        powershell: values.powershell,
        verbose: values.verbose,
        help: values.help,
    };
}
