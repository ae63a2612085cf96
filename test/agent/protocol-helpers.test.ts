import { describe, expect, it } from 'vitest';
import {
    compareExchangeBuilds,
    EXCHANGE_2013_CU3_BUILD,
    microsoftStsMetadataUrl,
    operationIdFor,
    operationIdSchema,
    parseAdminDisplayVersion,
    parseDottedBuild,
    servicesAtLeastSmtp,
} from '../../lib/protocol';

describe('Exchange builds', () => {
    it.each([
        ['Version 15.0 (Build 775.38)', '15.0.775.38', 0],
        ['Version 15.0 (Build 712.24)', '15.0.712.24', -1],
        ['Version 15.0 (Build 1497.2)', '15.0.1497.2', 1],
        ['Version 15.1 (Build 225.16)', '15.1.225.16', 1],
        ['Version 15.2 (Build 1544.4)', '15.2.1544.4', 1],
    ])('parses %s and orders it against CU3', (adminDisplayVersion, text, sign) => {
        // Act
        const build = parseAdminDisplayVersion(adminDisplayVersion);

        // Assess
        const cu3 = parseDottedBuild(EXCHANGE_2013_CU3_BUILD);
        expect(build?.text).toBe(text);
        expect(Math.sign(compareExchangeBuilds(build!, cu3!))).toBe(sign);
    });

    it('orders by build number, not by text', () => {
        // Act
        const order = compareExchangeBuilds(parseAdminDisplayVersion('Version 15.0 (Build 1497.2)')!, parseAdminDisplayVersion('Version 15.0 (Build 995.29)')!);

        // Assess
        expect(order).toBeGreaterThan(0);
    });

    it('gives null for another shape', () => {
        // Act
        const build = parseAdminDisplayVersion('15.0.775.38');

        // Assess
        expect(build).toBeNull();
    });
});

describe('the article filter helpers', () => {
    it.each([
        [['SMTP'], true],
        [['IMAP', 'POP', 'IIS', 'SMTP'], true],
        [['Federation'], true],
        [['IIS'], false],
        [['None'], false],
    ])('Services %j -ge "SMTP" is %s', (services, expected) => {
        // Act
        const result = servicesAtLeastSmtp(services);

        // Assess
        expect(result).toBe(expected);
    });

    it('builds the article AuthMetadataUrl', () => {
        // Act
        const url = microsoftStsMetadataUrl('fabrikam.com');

        // Assess
        expect(url).toBe('https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=fabrikam.com');
    });
});

describe('operation ids', () => {
    it('are deterministic per instance, run and step, and differ between runs and steps', () => {
        // Prepare
        const parts = { instanceId: 'onboard-contoso.com', runStartedAt: new Date(Date.UTC(2026, 0, 5, 9)), step: 'inventory' };

        // Act
        const ids = [operationIdFor(parts), operationIdFor({ ...parts }), operationIdFor({ ...parts, step: 'probe-1' }), operationIdFor({ ...parts, runStartedAt: '2026-01-06T09:00:00.000Z' })];

        // Assess
        expect(ids[0]).toBe(ids[1]);
        expect(new Set(ids).size).toBe(3);
        for (const id of ids) expect(operationIdSchema.safeParse(id).success).toBe(true);
    });

    it('falls back to a hash when the parts hold characters an id cannot', () => {
        // Act
        const id = operationIdFor({ instanceId: 'tenant with spaces', runStartedAt: '2026-01-05T09:00:00Z', step: 'inventory' });

        // Assess
        expect(id).toMatch(/^h-[0-9a-f]{64}$/);
    });
});
