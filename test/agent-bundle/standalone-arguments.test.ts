import { describe, expect, it } from 'vitest';
import { parseCliArguments, UsageError } from '../../agent/cli';

describe('agent CLI arguments for a standalone simulation', () => {
    it.each([
        [['--simulate', 's.json'], { command: 'run', simulatePath: 's.json', output: { json: false, showSecrets: false } }],
        [['run', '--simulate', 's.json', '--json'], { command: 'run', simulatePath: 's.json', output: { json: true, showSecrets: false } }],
        [['check', '--show-secrets', '--simulate', 's.json'], { command: 'check', simulatePath: 's.json', output: { json: false, showSecrets: true } }],
    ])('starts without --config from %j', (argv, expected) => {
        // Act
        const parsed = parseCliArguments(argv);

        // Assess
        expect(parsed).toStrictEqual(expected);
    });

    it('keeps a run with --config on its configuration even with --simulate', () => {
        // Act
        const parsed = parseCliArguments(['run', '--config', 'a.json', '--simulate', 's.json']);

        // Assess
        expect(parsed).toStrictEqual({ command: 'run', configPath: 'a.json', simulatePath: 's.json' });
    });

    it.each([[['run', '--config', 'a.json', '--show-secrets']], [['run', '--config', 'a.json', '--simulate', 's.json', '--json']], [['run', '--json']], [['--show-secrets']]])(
        'refuses %j: the output flags belong to a standalone simulation only',
        (argv) => {
            // Act
            const parse = () => parseCliArguments(argv);

            // Assess
            expect(parse).toThrow(UsageError);
        },
    );
});
