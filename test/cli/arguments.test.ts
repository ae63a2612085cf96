import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../cli/usage-error';
import { defaultScenarioPath } from '../../local/cli/cli-args';
import { parseDemoArgs } from '../../local/cli/demo-args';
import { parseStartArgs } from '../../local/cli/start-args';

const CWD = resolve('/home/admin/worlds');

describe('demo arguments', () => {
    it.each([
        { argv: [], expected: { scenarioPath: defaultScenarioPath(), settleSeconds: 120, json: false, virtualClock: false, powershell: false, verbose: false, help: false } },
        { argv: ['--json'], expected: { json: true, settleSeconds: 120 } },
        { argv: ['--settle', '5'], expected: { settleSeconds: 5 } },
        { argv: ['--settle=0'], expected: { settleSeconds: 0 } },
        { argv: ['--settle', '900'], expected: { settleSeconds: 900 } },
        { argv: ['--virtual-clock', '--json'], expected: { virtualClock: true, json: true } },
        { argv: ['--scenario', 'fabrikam.json'], expected: { scenarioPath: join(CWD, 'fabrikam.json') } },
        { argv: ['--scenario', '/srv/x.json'], expected: { scenarioPath: resolve('/srv/x.json') } },
        { argv: ['--verbose'], expected: { verbose: true } },
        { argv: ['--powershell', '--virtual-clock'], expected: { powershell: true, virtualClock: true } },
        { argv: ['-h'], expected: { help: true } },
    ])('reads $argv', ({ argv, expected }) => {
        // Act
        const options = parseDemoArgs(argv, CWD);

        // Assess
        expect(options).toMatchObject(expected);
    });

    it.each([
        { argv: ['--settle', '901'], message: /--settle must be a whole number from 0 to 900, not "901"/ },
        { argv: ['--settle', '-1'], message: /--settle/ },
        { argv: ['--settle', '2.5'], message: /--settle must be a whole number/ },
        { argv: ['--settle', 'soon'], message: /not "soon"/ },
        { argv: ['--settle'], message: /--settle <value>' argument missing/ },
        { argv: ['--scenario'], message: /--scenario <value>' argument missing/ },
        { argv: ['--port', '80'], message: /Unknown option '--port'/ },
        { argv: ['default.json'], message: /Unexpected argument 'default.json'/ },
        { argv: ['--json=yes'], message: /'--json' does not take an argument/ },
    ])('refuses $argv', ({ argv, message }) => {
        // Act
        const parse = () => parseDemoArgs(argv, CWD);

        // Assess
        expect(parse).toThrow(CliUsageError);
        expect(parse).toThrow(message);
    });
});

describe('start arguments', () => {
    it.each([
        { argv: [], expected: { scenarioPath: defaultScenarioPath(), port: 7071, virtualClock: false, help: false } },
        { argv: ['--port', '0'], expected: { port: 0 } },
        { argv: ['--virtual-clock', '--port', '0'], expected: { port: 0, virtualClock: true } },
        { argv: ['--port', '8080', '--scenario', 'w.json'], expected: { port: 8080, scenarioPath: join(CWD, 'w.json') } },
    ])('reads $argv', ({ argv, expected }) => {
        // Act
        const options = parseStartArgs(argv, CWD);

        // Assess
        expect(options).toMatchObject(expected);
    });

    it.each([
        { argv: ['--port', '65536'], message: /--port must be a whole number from 0 to 65535/ },
        { argv: ['--port', 'http'], message: /--port/ },
        { argv: ['--json'], message: /Unknown option '--json'/ },
    ])('refuses $argv', ({ argv, message }) => {
        // Act
        const parse = () => parseStartArgs(argv, CWD);

        // Assess
        expect(parse).toThrow(message);
    });
});
