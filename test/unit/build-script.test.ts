import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const PACKAGE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('the build behind npm start and npm run demo', () => {
    it('is incremental, its build info inside dist so that a clean dist builds everything again', () => {
        // Prepare
        const build = PACKAGE.scripts.build ?? '';

        // Assess
        expect(build).toMatch(/^tsc -p tsconfig\.json .*--incremental\b/);
        expect(build).toMatch(/--tsBuildInfoFile dist\/\S+/);
        expect(PACKAGE.scripts.start).toMatch(/^npm run build --silent && /);
        expect(PACKAGE.scripts.demo).toMatch(/^npm run build --silent && /);
    });
});
