import { describe, expect, it } from 'vitest';
import { shellInventorySchema } from '../../lib/protocol/operations/inventory';
import { scenarioWith } from '../agent/support/world';
import { doubleWorld } from './support/double-world';

/** The one large world of the PowerShell suites, and a host that cannot reach Exchange at start-up. */
describe('the agent\'s PowerShell host at scale and at start-up', () => {
    it('reads an organization of 50 servers with 10 certificates each in one inventory, through an imported session', async () => {
        // Prepare
        const scenario = scenarioWith((json) => {
            json.exchange.servers = Array.from({ length: 50 }, (_, index) => ({
                name: `EX${String(index + 1).padStart(2, '0')}`,
                fqdn: `ex${String(index + 1).padStart(2, '0')}.corp.contoso.com`,
                adminDisplayVersion: 'Version 15.0 (Build 1497.2)',
                roles: ['Mailbox', 'ClientAccess'],
            }));
            const names = (json.exchange.servers as { name: string }[]).map((server) => server.name);
            json.exchange.certificates = Array.from({ length: 10 }, (_, index) => ({
                id: `certificate-${index}`,
                friendlyName: `Certificate ${index}`,
                subject: `service${index}.corp.contoso.com`,
                domains: [`service${index}.corp.contoso.com`],
                services: index === 0 ? ['SMTP'] : ['IIS', 'SMTP'],
                notBefore: '2025-01-01T00:00:00Z',
                notAfter: '2030-01-01T00:00:00Z',
                servers: names,
            }));
        });
        const world = await doubleWorld(scenario, { mode: 'remote' });
        await world.double.shell.checkReady();

        // Act
        const started = Date.now();
        const inventory = shellInventorySchema.parse(await world.double.shell.inventory());
        const elapsedMs = Date.now() - started;

        // Assess
        expect(inventory.servers).toHaveLength(50);
        expect(inventory.certificates.flatMap((entry) => entry.certificates)).toHaveLength(500);
        expect(inventory.certificates.every((entry) => entry.reachable && entry.certificates.length === 10)).toBe(true);
        expect(inventory.certificates[49]?.certificates[1]?.services).toEqual(['IIS', 'SMTP']);
        expect(JSON.stringify(inventory).length).toBeLessThan(1024 * 1024);
        expect(elapsedMs).toBeLessThan(120_000);
    }, 400_000);

    it('reports fatal, and no host, when the remote session cannot be opened', async () => {
        // Prepare: a ConnectionUri that is not Exchange's remote PowerShell endpoint.
        const world = await doubleWorld(undefined, { mode: 'remote', connectionUri: 'http://ex1.corp.contoso.com/wsman/' });

        // Act
        const outcome = await world.double.shell.checkReady().catch((error: unknown) => error);

        // Assess
        expect(outcome).toMatchObject({ code: 'shell_unavailable', transient: true });
        expect(String((outcome as Error).message)).toContain('The PowerShell host could not load Exchange: Connecting to remote server ex1.corp.contoso.com failed');
        expect(world.double.shell.hostPid).toBeUndefined();
    }, 240_000);
});
