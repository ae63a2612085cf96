import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalHost } from '../../local/host';
import { FIXTURE_ENTRY, startFixtureHost, type FixtureHost } from './support/fixture-host';

describe('loading the app with the stand-in @azure/functions-core', () => {
    let fixture: FixtureHost;

    beforeAll(async () => {
        fixture = await startFixtureHost();
    });
    afterAll(async () => fixture.host.stop());

    it.each([
        ['hello', 'httpTrigger'],
        ['startOrchestration', 'httpTrigger'],
        ['nightly', 'timerTrigger'],
        ['queueWork', 'queueTrigger'],
        ['gridEvents', 'eventGridTrigger'],
        ['counter', 'entityTrigger'],
        ['fanOut', 'orchestrationTrigger'],
        ['double', 'activityTrigger'],
    ])('captures %s as a %s registration', (name, triggerType) => {
        // Prepare
        const { functions } = fixture.host;

        // Act
        const found = functions.find((fn) => fn.name === name);

        // Assess
        expect(found?.triggerType).toBe(triggerType);
    });

    it('keeps the HTTP binding details: route, methods and auth level', () => {
        // Act
        const secure = fixture.host.functions.find((fn) => fn.name === 'secureItem');

        // Assess
        expect(secure).toMatchObject({ route: 'items/{id:int}', methods: ['GET'], authLevel: 'function' });
    });

    it('supplies @azure/functions-core only inside the host process, never as an installed package', () => {
        // Prepare
        const requireFromApp = createRequire(FIXTURE_ENTRY);

        // Act
        const resolve = () => requireFromApp.resolve('@azure/functions-core');

        // Assess
        expect(resolve).toThrow(/Cannot find module/);
        expect(requireFromApp('@azure/functions-core')).toHaveProperty('registerFunction');
    });

    it('reuses the registrations when a second host loads the same entry in this process', async () => {
        // Prepare
        const names = fixture.host.functions.map((fn) => fn.name);

        // Act
        const second = await startLocalHost({ entry: FIXTURE_ENTRY, port: 0, logSink: () => undefined });
        const secondNames = second.functions.map((fn) => fn.name);
        await second.stop();

        // Assess
        expect(secondNames).toEqual(names);
    });

    it('rejects a relative entry path with a clear error', async () => {
        // Act
        const start = startLocalHost({ entry: 'test/fixtures/app/index.ts', port: 0 });

        // Assess
        await expect(start).rejects.toThrow(/must be an absolute path/);
    });
});
