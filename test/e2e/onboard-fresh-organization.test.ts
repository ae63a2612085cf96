import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredKeyCredential } from '../../local/graph/directory-state';
import type { VaultCertificateView } from '../../local/keyvault/keyvault-stand-in';
import type { LocalStack } from '../../local/stack/local-stack';
import type { OnboardSucceeded } from '../../lib/contracts/onboarding-result';
import { matchesArticleFilter } from '../../orchestrators/onboarding/certificate-choice';
import { api, onboard, type RunView } from './support/api';
import { itEndsInTheExpectedWorld, onboardScenario, stepStates } from './support/scenario-run';
import { scenarioCase } from './support/scenarios';
import { loadScenarioFile } from '../../local/scenario/schema';
import { DEFAULT_SCENARIO, startWorld } from './support/world';
import { cloudWrites, storedKeyCredentials, writeCommands } from './support/world-state';

describe('onboarding a fresh organization (the default scenario)', () => {
    let stack: LocalStack;
    let run: RunView;

    beforeAll(async () => {
        stack = await startWorld(DEFAULT_SCENARIO);
        run = await onboard(stack);
    });

    afterAll(async () => {
        await stack.stop();
    });

    it('completes with every step succeeded or deliberately skipped', () => {
        expect(run.error).toBeNull();
        expect(run.runtimeStatus).toBe('Completed');
        expect(run.steps.filter((s) => !['succeeded', 'skipped'].includes(s.state))).toEqual([]);
    });

    it('leaves Exchange configured as the article does', () => {
        // Prepare
        const output = run.output as { certificate: { thumbprint: string } };
        const thumbprint = output.certificate.thumbprint;

        // Assess
        expect(stack.exchange.authConfig().currentThumbprint).toBe(thumbprint);
        for (const server of ['EX1', 'EX2']) {
            expect(stack.exchange.certificatesOn(server).filter((c) => c.thumbprint === thumbprint)).toHaveLength(1);
        }
        expect(stack.exchange.authServers()).toEqual([
            expect.objectContaining({ name: 'MicrosoftSts', authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com' }),
        ]);
        expect(stack.exchange.pushProxyState()).toMatchObject({ enabled: true, organization: 'contoso.com' });
        expect(['EX1', 'EX2'].map((server) => stack.exchange.missingLink(server))).toEqual([undefined, undefined]);
    });

    it('leaves on every server a certificate the article\'s own filter finds: USERDNSDOMAIN, Services Federation (above SMTP), 2048 bits, "OAuth" in its name, its key exportable as New-ExchangeCertificate makes it', async () => {
        // Prepare
        const { thumbprint } = (run.output as unknown as OnboardSucceeded).certificate;

        // Act
        const inventory = await stack.exchange.inventory();

        // Assess
        for (const { server, certificates } of inventory.certificates) {
            const created = certificates.find((c) => c.thumbprint === thumbprint);
            expect({ server, created }).toMatchObject({ server, created: { friendlyName: 'Exchange S2S OAuth', services: ['Federation'], keySize: 2048, privateKeyExportable: true } });
            expect(created === undefined ? false : matchesArticleFilter(created, inventory.userDnsDomain ?? '')).toBe(true);
        }
    });

    it('adds exactly one key credential and keeps both that were there', () => {
        // Prepare
        const credentials = stack.cloud.graph.keyTargetCredentials();
        const output = run.output as { certificate: { thumbprint: string }; keyCredentials: { before: string[] } };

        // Assess
        expect(output.keyCredentials.before).toEqual(['11111111-aaaa-4bbb-8ccc-000000000001', '11111111-aaaa-4bbb-8ccc-000000000002']);
        expect(credentials.filter((c) => c.thumbprint !== output.certificate.thumbprint)).toHaveLength(2);
        expect(credentials).toHaveLength(3);
    });

    it('waited the 120 s settle on the durable clock before probing', () => {
        const settle = run.steps.find((s) => s.id === 'settle');
        expect(settle?.detail).toBe('waited 120 s');
        expect(run.output).toMatchObject({ probe: { resultType: 'Succeeded', attempts: 1 }, authServer: 'created', certificate: { source: 'created' } });
    });

    describe('onboarding it again', () => {
        interface Snapshot {
            readonly certificates: Readonly<Record<string, readonly string[]>>;
            readonly keyCredentials: readonly StoredKeyCredential[];
            readonly vault: readonly VaultCertificateView[];
            readonly cloudWrites: ReturnType<typeof cloudWrites>;
            readonly authConfig: ReturnType<LocalStack['exchange']['authConfig']>;
            readonly authServers: ReturnType<LocalStack['exchange']['authServers']>;
            readonly pushProxy: ReturnType<LocalStack['exchange']['pushProxyState']>;
        }
        const snapshot = (): Snapshot => ({
            certificates: Object.fromEntries(['EX1', 'EX2'].map((server) => [server, stack.exchange.certificatesOn(server).map((c) => c.thumbprint)])),
            keyCredentials: storedKeyCredentials(stack),
            vault: stack.cloud.keyVault.certificates(),
            cloudWrites: cloudWrites(stack),
            authConfig: stack.exchange.authConfig(),
            authServers: stack.exchange.authServers(),
            pushProxy: stack.exchange.pushProxyState(),
        });
        interface Recorded {
            readonly certificate: { readonly source: string; readonly keyVaultName: string | null; readonly keyVaultVersion: string | null };
            readonly onboardedAt: string;
            readonly lastRunAt?: string;
        }
        const recorded = async (): Promise<Recorded> => (await api<{ tenant: Recorded }>(stack, 'GET', 'tenants/contoso.com')).body.tenant;
        let before: Snapshot;
        let recordedBefore: Recorded;
        let commandsBefore: number;
        let second: RunView;

        beforeAll(async () => {
            before = snapshot();
            recordedBefore = await recorded();
            commandsBefore = writeCommands(stack).length;
            second = await onboard(stack);
        });

        it('keeps in the registry what it knew: the certificate created in Key Vault with its name and version, and the first onboarding time, beside the time of the second run', async () => {
            // Act
            const after = await recorded();

            // Assess
            expect(recordedBefore.certificate).toMatchObject({ source: 'created', keyVaultName: expect.any(String) as string, keyVaultVersion: expect.any(String) as string });
            expect(after.certificate).toEqual(recordedBefore.certificate);
            // Instants, not text: the extension rewrites ISO-8601 strings in activity payloads (…:00.000Z arrives as …:00Z).
            expect(Date.parse(after.onboardedAt)).toBe(Date.parse(recordedBefore.onboardedAt));
            expect(Date.parse(after.lastRunAt ?? '')).toBe(Date.parse(second.steps.find((step) => step.id === 'registry')?.endedAt ?? 'missing'));
        });

        it('changes nothing anywhere: no certificate, no key credential, no Graph PATCH, no Key Vault write, no Exchange setting', () => {
            // Act
            const after = snapshot();

            // Assess
            expect(after).toStrictEqual(before);
        });

        it('reuses the certificate, finds the key registered and MicrosoftSts unchanged, and still probes', () => {
            // Prepare
            const first = run.output as unknown as OnboardSucceeded;

            // Assess
            expect(second.runtimeStatus).toBe('Completed');
            expect(second.output).toMatchObject({
                certificate: { source: 'reused', thumbprint: first.certificate.thumbprint },
                installed: { imported: [], present: [] },
                authServer: 'unchanged',
                keyCredentials: { added: false, keyId: first.keyCredentials.keyId },
                probe: { resultType: 'Succeeded', attempts: 1 },
                changes: [],
            });
            expect(stepStates(second)).toEqual(scenarioCase('already-onboarded').steps);
        });

        it('keeps the reason the certificate was chosen in its step: the certificate it created qualifies by the article\'s own filter', () => {
            // Prepare
            const first = run.steps.find((step) => step.id === 'certificate')?.detail;
            const again = second.steps.find((step) => step.id === 'certificate')?.detail;

            // Assess
            // The status bounds a step's detail (Azure refuses a custom status over 16 KB); the reason starts within it.
            expect(first).toMatch(/^created [0-9A-F]{40} in Key Vault: no certificate matches the article's filter for corp\.contoso\.com$/);
            expect(again).toMatch(/^reusing [0-9A-F]{40}: matches the article's filter$/);
        });

        it('runs on premises only what the article repeats, enabling the proxy and probing, and restarts no MSExchangeHM since nothing changed', () => {
            expect(writeCommands(stack).slice(commandsBefore)).toEqual(['Enable-PushNotificationProxy', 'Invoke-MonitoringProbe @EX1']);
        });
    });
});

describe('onboarding a fresh organization at exactly Exchange 2013 CU3, with no key credential yet', () => {
    const get = onboardScenario('fresh-organization');

    itEndsInTheExpectedWorld(get);

    it('creates a 2048-bit certificate for USERDNSDOMAIN in Key Vault and registers it as the only key credential', () => {
        // Prepare
        const { stack, run } = get();
        const output = run.output as unknown as OnboardSucceeded;

        // Act
        const vault = stack.cloud.keyVault.certificates();
        const credentials = stack.cloud.graph.keyTargetCredentials();

        // Assess
        expect(vault).toHaveLength(1);
        expect(vault[0]).toMatchObject({
            name: output.certificate.keyVaultName,
            versions: [{ status: 'issued', thumbprint: output.certificate.thumbprint, policy: { keySize: 2048, validityMonths: 24, exportable: true, subject: 'CN=corp.contoso.com' } }],
        });
        expect(credentials).toEqual([expect.objectContaining({ keyId: output.keyCredentials.keyId, thumbprint: output.certificate.thumbprint, usage: 'Verify' })]);
    });

    it('records the tenant in the registry with its certificate and key credential', async () => {
        // Prepare
        const { stack, run } = get();
        const output = run.output as unknown as OnboardSucceeded;

        // Act
        const tenant = await api<{ tenant: Record<string, unknown> }>(stack, 'GET', 'tenants/contoso.com');

        // Assess
        expect(tenant.body.tenant).toMatchObject({
            tenantDomain: 'contoso.com',
            certificate: { thumbprint: output.certificate.thumbprint, notAfter: output.certificate.notAfter, source: 'created' },
            keyCredentialId: output.keyCredentials.keyId,
        });
    });
});

describe('onboarding a tenant in a national cloud', () => {
    let stack: LocalStack | undefined;

    afterAll(async () => {
        await stack?.stop();
    });

    it("enables the push notification proxy to that cloud's service, not the worldwide default, and the probe succeeds", async () => {
        // Prepare
        const scenario = await loadScenarioFile(DEFAULT_SCENARIO);
        stack = await startWorld({ ...scenario, tenant: { ...scenario.tenant, cloud: 'usGovHigh' } });

        // Act
        const run = await onboard(stack, { cloud: 'usGovHigh' });

        // Assess
        expect(run.runtimeStatus).toBe('Completed');
        expect(stack.exchange.pushProxyState()).toMatchObject({ enabled: true, uri: 'https://outlook.office365.us/PushNotifications' });
        expect(run.output).toMatchObject({ probe: { resultType: 'Succeeded' } });
    });
});

describe('onboarding while Entra ID replicates the new key', () => {
    let stack: LocalStack | undefined;

    afterAll(async () => {
        await stack?.stop();
    });

    it('waits out the token errors right after registration on the replication schedule instead of failing after its probe attempts', async () => {
        // Prepare
        const scenario = await loadScenarioFile(DEFAULT_SCENARIO);
        stack = await startWorld({ ...scenario, entra: { ...scenario.entra, keyReplicationSeconds: 600 } });

        // Act
        const run = await onboard(stack);

        // Assess
        expect(run.error).toBeNull();
        expect(run.output).toMatchObject({ probe: { resultType: 'Succeeded', attempts: 1 } });
        expect(run.steps.find((s) => s.id === 'probe')?.detail).toContain('after waiting for Entra ID to replicate the new key');
    });
});
