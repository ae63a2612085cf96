import { parseArgs } from 'node:util';
import { asUsageErrors, integerOption } from '../../cli/usage-error';
import { scenarioPathOption } from './cli-args';

export interface StartOptions {
    readonly scenarioPath: string;
    readonly port: number;
    /** Durable timers fire at once, in order: try the API by hand without the real 120 s settles and 30 s re-probes. */
    readonly virtualClock: boolean;
    readonly help: boolean;
}

export const START_USAGE = `Usage: npm start [-- [--scenario <file>] [--port <port>] [--virtual-clock]]

Runs the product locally: the Functions host with the app on 127.0.0.1, the Graph, Key Vault,
identity and relay stand-ins, Azurite, and the agent of a simulated Exchange organization.
Stops cleanly on Ctrl+C (SIGINT) or SIGTERM.

  --scenario <file>   scenario file (default local/scenarios/default.json; see docs/scenarios.md)
  --port <port>       port of the API on 127.0.0.1 (default 7071; 0 for any free port)
  --virtual-clock     durable timers fire at once (no real waits for settles, re-probes, repairs)
`;

export function parseStartArgs(argv: readonly string[], cwd: string): StartOptions {
    const { values } = asUsageErrors(() =>
        parseArgs({
            args: [...argv],
            strict: true,
            allowPositionals: false,
            options: {
                scenario: { type: 'string' },
                port: { type: 'string' },
                'virtual-clock': { type: 'boolean', default: false },
                help: { type: 'boolean', short: 'h', default: false },
            },
        }),
    );
    return {
        scenarioPath: scenarioPathOption(values.scenario, cwd),
        port: values.port === undefined ? 7071 : integerOption('port', values.port, 0, 65535),
        virtualClock: values['virtual-clock'],
        help: values.help,
    };
}
