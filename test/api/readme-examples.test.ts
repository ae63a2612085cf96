import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

/** Each curl command of the README, continuation lines joined. */
function curlCommands(markdown: string): string[] {
    return markdown
        .replace(/\\\n\s*/g, ' ')
        .split('\n')
        .filter((line) => /^\s*curl\s/.test(line));
}

describe("the README's curl examples", () => {
    const withBody = curlCommands(README).filter((command) => /\s(-d|--data\S*)\s/.test(command));

    it('include requests that send a body', () => {
        expect(withBody.length).toBeGreaterThanOrEqual(2);
    });

    it.each(withBody.map((command) => [command.slice(0, 90), command]))('send their body as JSON: %s', (_short, command) => {
        expect(command).toMatch(/-H "content-type: application\/json"/i);
    });
});
