import { describe, expect, it } from 'vitest';
import { type ProbeLink } from '../../local/exchange';
import { createWorld, scenarioWith, STS_URL, TENANT_DOMAIN, type TestWorld } from './support/world';

interface Onboarding {
    readonly unreachable?: boolean;
    readonly proxyOrganization?: string | null;
    readonly proxyUri?: string;
    readonly restart?: 'none' | 'beforeProxy' | 'afterProxy';
    readonly settleSeconds?: number;
    readonly authConfig?: 'none' | 'set';
    readonly probeServer?: string;
    readonly stsUrl?: string | null;
    readonly trustedByEntra?: boolean;
}

/** Runs the article's steps on the simulated organization, leaving out or bending one when asked. */
async function onboard(steps: Onboarding = {}): Promise<TestWorld> {
    const world = createWorld();
    const { exchange, clock, entra } = world;
    if ((steps.authConfig ?? 'set') === 'set') await exchange.setAuthConfig({ action: 'setCurrent', thumbprint: exchange.thumbprintOf('oauth') });
    const stsUrl = steps.stsUrl === undefined ? STS_URL : steps.stsUrl;
    if (stsUrl !== null) await exchange.ensureAuthServer({ name: 'MicrosoftSts', authMetadataUrl: stsUrl });
    if (steps.restart === 'beforeProxy') await exchange.restartHealthManager({});
    clock.advanceBy(1000);
    const organization = steps.proxyOrganization === undefined ? TENANT_DOMAIN : steps.proxyOrganization;
    if (organization !== null) await exchange.enablePushProxy({ organization, uri: steps.proxyUri ?? 'https://outlook.office365.com/PushNotifications' });
    if ((steps.restart ?? 'afterProxy') === 'afterProxy') await exchange.restartHealthManager({});
    clock.advanceBy((steps.settleSeconds ?? 120) * 1000);
    if (steps.trustedByEntra ?? true) entra.trusted.add(exchange.certificateDerBase64('oauth'));
    if (steps.unreachable === true) exchange.setServerReachable('EX1', false);
    return world;
}

describe('simulated push notification probe', () => {
    it('succeeds when every link holds', async () => {
        // Prepare
        const { exchange } = await onboard();

        // Act
        const result = await exchange.invokeProbe({});

        // Assess
        expect(result).toMatchObject({ server: 'EX1', resultType: 'Succeeded', error: null });
        expect(exchange.missingLink()).toBeUndefined();
    });

    it.each<[ProbeLink, string, Onboarding, RegExp]>([
        ['serverReachable', 'the probed server does not answer', { unreachable: true }, /did not answer/],
        ['pushProxyEnabled', 'the proxy was never enabled', { proxyOrganization: null, restart: 'beforeProxy' }, /not enabled for organization contoso\.com/],
        ['pushProxyEnabled', 'the proxy is enabled for another organization', { proxyOrganization: 'fabrikam.com' }, /not enabled for organization contoso\.com/],
        ['pushProxyEnabled', "the proxy relays to another cloud's service", { proxyUri: 'https://outlook.office365.us/PushNotifications' }, /relays to https:\/\/outlook\.office365\.us\/PushNotifications, not to the tenant's cloud/],
        ['healthManagerRestarted', 'MSExchangeHM was never restarted', { restart: 'none' }, /has not been restarted since/],
        ['healthManagerRestarted', 'MSExchangeHM was restarted before the proxy was enabled', { restart: 'beforeProxy' }, /has not been restarted since/],
        ['healthManagerSettled', 'MSExchangeHM restarted 119 s ago', { settleSeconds: 119 }, /still loading/],
        ['authConfigCertificate', 'AuthConfig has no current certificate', { authConfig: 'none' }, /no current certificate/],
        ['authConfigCertificate', 'the current certificate is not on the probed server', { probeServer: 'EX2' }, /is not on EX2 with its private key/],
        ['authServer', 'MicrosoftSts is missing', { stsUrl: null }, /MicrosoftSts does not exist/],
        ['authServer', 'MicrosoftSts points at another realm', { stsUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=fabrikam.com' }, /does not point at realm contoso\.com/],
        ['entraKeyCredential', 'the key target does not hold the certificate', { trustedByEntra: false }, /no valid key credential/],
    ])('fails on %s when %s', async (link, _label, steps, errorText) => {
        // Prepare
        const { exchange } = await onboard(steps);
        const server = steps.probeServer;

        // Act
        const result = await exchange.invokeProbe(server === undefined ? {} : { server });

        // Assess
        expect(result.resultType).toBe('Failed');
        expect(result.error).toMatch(errorText);
        expect(exchange.missingLink(server)?.link).toBe(link);
    });

    it('returns scripted results first, then the computed one', async () => {
        // Prepare
        const world = createWorld(scenarioWith((json) => { json.exchange.probe = { scripted: ['Failed', 'Succeeded'], scriptedError: 'Push notification endpoint timed out.' }; }));

        // Act
        const results = [await world.exchange.invokeProbe({}), await world.exchange.invokeProbe({}), await world.exchange.invokeProbe({})];

        // Assess
        expect(results.map((r) => [r.resultType, r.error])).toEqual([
            ['Failed', 'Push notification endpoint timed out.'],
            ['Succeeded', null],
            ['Failed', expect.stringContaining('not enabled') as string],
        ]);
    });
});
