import { describe, expect, it } from 'vitest';
import { staticImports } from '../support/static-imports';

describe('loading the app (benchmark B3: cold start)', () => {
    it('loads the Functions SDKs and the orchestrators, and no handler, schema library or cloud SDK', () => {
        // Act
        const loaded = staticImports('functions/index.ts');

        // Assess
        expect(loaded.packages).toEqual(['@azure/functions', 'durable-functions']);
        // The role check (authorized.ts, with its JSON refusal from responses.ts) runs before a handler loads, by design: it is registered with the route.
        expect(loaded.ownFiles.filter((file) => /^(activities|functions)\/.*(?<!register|register-activity|api-routes|index|load-on-first-call|authorized|responses)\.ts$/.test(file))).toEqual([]);
        expect(loaded.ownFiles.filter((file) => file.startsWith('lib/protocol/') || file.startsWith('lib/app-services/'))).toEqual([]);
    });

    it.each<[string, string]>([
        ['an activity', 'activities/agent-inventory.ts'],
        ['an HTTP handler', 'functions/http/onboard-tenant.ts'],
    ])('follows what %s loads, so the check above can see a schema library', (_name, handler) => {
        // Act
        const loaded = staticImports(handler);

        // Assess
        expect(loaded.packages).toContain('zod');
    });
});
