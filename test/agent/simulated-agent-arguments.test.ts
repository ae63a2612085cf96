import { describe, expect, it } from 'vitest';
import { parseSimulatedAgentArguments, SimulatedAgentUsageError } from '../../local/agent/simulated-agent-cli';

describe('arguments of the simulated agent (local/agent)', () => {
    it.each([
        [['--scenario', 's.json'], { command: 'run', scenarioPath: 's.json', output: { json: false, showSecrets: false } }],
        [['run', '--scenario', 's.json', '--json'], { command: 'run', scenarioPath: 's.json', output: { json: true, showSecrets: false } }],
        [['check', '--show-secrets', '--scenario', 's.json'], { command: 'check', scenarioPath: 's.json', output: { json: false, showSecrets: true } }],
    ])('starts standalone (its own relay stand-in) from %j', (argv, expected) => {
        // Act
        const parsed = parseSimulatedAgentArguments(argv);

        // Assess
        expect(parsed).toStrictEqual(expected);
    });

    it('keeps a run with --config on that configuration', () => {
        // Act
        const parsed = parseSimulatedAgentArguments(['run', '--config', 'a.json', '--scenario', 's.json']);

        // Assess
        expect(parsed).toStrictEqual({ command: 'run', scenarioPath: 's.json', configPath: 'a.json' });
    });

    it.each([
        [['run', '--config', 'a.json', '--scenario', 's.json', '--show-secrets']],
        [['run', '--config', 'a.json', '--scenario', 's.json', '--json']],
        [['run', '--json']],
        [['serve', '--scenario', 's.json']],
        [['run', '--scenario']],
        [['--simulate', 's.json']],
    ])('refuses %j', (argv) => {
        // Act
        const parse = () => parseSimulatedAgentArguments(argv);

        // Assess
        expect(parse).toThrow(SimulatedAgentUsageError);
    });
});
