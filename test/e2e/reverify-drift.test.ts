import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../local/stack/local-stack';
import { checkStates, onboard, verify, type VerifyOutput } from './support/api';
import { DEFAULT_SCENARIO, startWorld } from './support/world';


let stack: LocalStack | undefined;

afterEach(async () => {
    await stack?.stop();
    stack = undefined;
});

async function onboarded(): Promise<{ stack: LocalStack; thumbprint: string }> {
    stack = await startWorld(DEFAULT_SCENARIO);
    const run = await onboard(stack);
    expect(run.runtimeStatus).toBe('Completed');
    return { stack, thumbprint: (run.output as { certificate: { thumbprint: string } }).certificate.thumbprint };
}

/** keyIds of the credentials for the product's certificate (every write re-assigns keyIds: found by thumbprint). */
function productKeyIds(world: LocalStack, thumbprint: string): string[] {
    return world.cloud.graph
        .keyTargetCredentials()
        .filter((c) => c.thumbprint === thumbprint)
        .map((c) => c.keyId);
}

describe('re-verification of a healthy tenant', () => {
    it('reports every check ok and changes nothing', async () => {
        // Prepare
        const world = await onboarded();
        const commandsBefore = world.stack.exchange.commandLog().length;
        const patchesBefore = world.stack.cloud.graph.patchBodies().length;

        // Act
        const run = await verify(world.stack);

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect((run.output as unknown as VerifyOutput).outcome).toBe('succeeded');
        expect(Object.values(checkStates(run)).every((state) => state === 'ok')).toBe(true);
        const newCommands = world.stack.exchange.commandLog().slice(commandsBefore).map((c) => c.cmdlet);
        expect(newCommands.filter((cmdlet) => !/^(Get-|Invoke-MonitoringProbe)/.test(cmdlet))).toEqual([]);
        expect(world.stack.cloud.graph.patchBodies()).toHaveLength(patchesBefore);
    });
});

type Drift = (world: { stack: LocalStack; thumbprint: string }) => void;

const drifts: [string, string, Drift, (world: { stack: LocalStack; thumbprint: string }) => void][] = [
    [
        'key credential deleted in Entra',
        'keyCredential',
        ({ stack: s, thumbprint }) => s.cloud.graph.deleteKeyCredential(productKeyIds(s, thumbprint)[0] ?? ''),
        ({ stack: s, thumbprint }) => {
            expect(productKeyIds(s, thumbprint)).toHaveLength(1);
            expect(s.cloud.graph.keyTargetCredentials().filter((c) => c.thumbprint !== thumbprint)).toHaveLength(2);
        },
    ],
    [
        'AuthServer URL changed',
        'authServer',
        ({ stack: s }) => s.exchange.driftAuthServerUrl('MicrosoftSts', 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=fabrikam.com'),
        ({ stack: s }) => expect(s.exchange.authServers()[0]?.authMetadataUrl).toBe('https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com'),
    ],
    ['push proxy disabled', 'pushProxy', ({ stack: s }) => s.exchange.driftDisablePushProxy(), ({ stack: s }) => expect(s.exchange.pushProxyState().enabled).toBe(true)],
    [
        "push proxy relaying to another cloud's service",
        'pushProxy',
        ({ stack: s }) => s.exchange.driftPushProxyUri('https://outlook.office365.us/PushNotifications'),
        ({ stack: s }) => expect(s.exchange.pushProxyState().uri).toBe('https://outlook.office365.com/PushNotifications'),
    ],
    [
        'certificate missing on one server',
        'certificateOnServers',
        ({ stack: s, thumbprint }) => s.exchange.driftRemoveCertificate('EX2', thumbprint),
        ({ stack: s, thumbprint }) => expect(s.exchange.certificatesOn('EX2').filter((c) => c.thumbprint === thumbprint && c.hasPrivateKey)).toHaveLength(1),
    ],
];

describe.each(drifts)('re-verification after drift: %s', (_label, checkId, drift, assessRepaired) => {
    it('report mode finds the drift and writes nothing', async () => {
        // Prepare
        const world = await onboarded();
        drift(world);
        const patchesBefore = world.stack.cloud.graph.patchBodies().length;
        const commandsBefore = world.stack.exchange.commandLog().length;

        // Act
        const run = await verify(world.stack, 'report');

        // Assess
        expect((run.output as unknown as VerifyOutput).outcome).toBe('drifted');
        expect(checkStates(run)[checkId]).toBe('drifted');
        expect(world.stack.cloud.graph.patchBodies()).toHaveLength(patchesBefore);
        expect(world.stack.exchange.commandLog().slice(commandsBefore).filter((c) => !c.cmdlet.startsWith('Get-'))).toEqual([]);
        expect(['EX1', 'EX2'].map((server) => world.stack.exchange.missingLink(server)).some((link) => link !== undefined)).toBe(true);
    });

    it('repair mode repairs it, keeps everything else, and the probe then succeeds', async () => {
        // Prepare
        const world = await onboarded();
        drift(world);

        // Act
        const run = await verify(world.stack, 'repair');

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect((run.output as unknown as VerifyOutput).outcome).toBe('repaired');
        expect(checkStates(run)[checkId]).toBe('repaired');
        expect(checkStates(run).probe).not.toBe('failed');
        assessRepaired(world);
        expect(['EX1', 'EX2'].map((server) => world.stack.exchange.missingLink(server))).toEqual([undefined, undefined]);
    });
});

describe('an AuthServer set up by hand whose realm differs from the tenant domain only in case', () => {
    const HAND_MADE = 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=Contoso.com';

    it.each([
        { type: 'the dry run', act: async (s: LocalStack) => ({ planned: ((await onboard(s, { dryRun: true })).output as { plannedChanges: string[] }).plannedChanges.filter((c) => /AuthServer/.test(c)) }), expected: { planned: [] } },
        { type: 'onboarding again', act: async (s: LocalStack) => ({ authServer: ((await onboard(s)).output as { authServer: string }).authServer }), expected: { authServer: 'unchanged' } },
        { type: 'report mode', act: async (s: LocalStack) => ({ outcome: ((await verify(s, 'report')).output as unknown as VerifyOutput).outcome }), expected: { outcome: 'succeeded' } },
        { type: 'repair mode', act: async (s: LocalStack) => ({ outcome: ((await verify(s, 'repair')).output as unknown as VerifyOutput).outcome }), expected: { outcome: 'succeeded' } },
    ])('is unchanged for $type, which writes no AuthServer', async ({ act, expected }) => {
        // Prepare
        const world = await onboarded();
        world.stack.exchange.driftAuthServerUrl('MicrosoftSts', HAND_MADE);
        const commandsBefore = world.stack.exchange.commandLog().length;

        // Act
        const result = await act(world.stack);

        // Assess
        expect(result).toEqual(expected);
        expect(world.stack.exchange.authServers().map((a) => a.authMetadataUrl)).toEqual([HAND_MADE]);
        expect(world.stack.exchange.commandLog().slice(commandsBefore).map((c) => c.cmdlet).filter((cmdlet) => /^(New|Set)-AuthServer$/.test(cmdlet))).toEqual([]);
    });
});
