import { describe, expect, it } from 'vitest';
import type { WorldSnapshot } from '../../local/cli/world-snapshot';
import { summarizeWorld } from '../../local/cli/world-summary';
import { AFTER, BEFORE, IIS, METADATA_URL, NEW_KEY, OAUTH, OLD_KEY } from './support/snapshots';

describe('summarizeWorld', () => {
    it('tells what onboarding changed on each side', () => {
        // Act
        const lines = summarizeWorld(BEFORE, AFTER);

        // Assess
        expect(lines).toEqual([
            'Exchange organization',
            `  EX1: + ${OAUTH} "Exchange S2S OAuth"`,
            `  EX2: + ${OAUTH} "Exchange S2S OAuth"`,
            `  AuthConfig current certificate: (none) → ${OAUTH}`,
            `  AuthServer MicrosoftSts: created, ${METADATA_URL}`,
            '  Push notification proxy: disabled → enabled for contoso.com',
            'Entra ID key credentials on the key target (before 1, after 2)',
            `  kept   ${OLD_KEY}  CN=Federation (hybrid wizard)  C3C3C3C3C3C3C3C3…`,
            `  added  ${NEW_KEY}  CN=corp.contoso.com  B2B2B2B2B2B2B2B2…`,
            'Key Vault certificates',
            `  + exo-oauth-contoso-com: ${OAUTH}, valid until 2028-01-05T09:00:00.000Z`,
        ]);
    });

    it('says unchanged when nothing changed', () => {
        // Act
        const lines = summarizeWorld(AFTER, AFTER);

        // Assess
        expect(lines).toEqual([
            'Exchange organization',
            '  EX1: certificates unchanged (2)',
            '  EX2: certificates unchanged (2)',
            `  AuthConfig current certificate: unchanged, ${OAUTH}`,
            `  AuthServer MicrosoftSts: unchanged, ${METADATA_URL}`,
            '  Push notification proxy: unchanged, enabled for contoso.com',
            'Entra ID key credentials on the key target (before 2, after 2)',
            `  kept   ${OLD_KEY}  CN=Federation (hybrid wizard)  C3C3C3C3C3C3C3C3…`,
            `  kept   ${NEW_KEY}  CN=corp.contoso.com  B2B2B2B2B2B2B2B2…`,
            'Key Vault certificates',
            `    exo-oauth-contoso-com: ${OAUTH}, valid until 2028-01-05T09:00:00.000Z`,
        ]);
    });

    it.each([
        {
            name: 'a lost key credential',
            after: { ...AFTER, entra: { keyCredentials: [AFTER.entra.keyCredentials[1]!] } },
            line: `  LOST   ${OLD_KEY}  CN=Federation (hybrid wizard)`,
        },
        {
            name: 'an updated AuthServer',
            before: { ...AFTER, exchange: { ...AFTER.exchange, authServers: [{ name: 'MicrosoftSts', authMetadataUrl: 'https://wrong.example/', enabled: true }] } },
            line: `  AuthServer MicrosoftSts: updated, https://wrong.example/ → ${METADATA_URL}`,
        },
        {
            name: 'a removed certificate',
            after: { ...AFTER, exchange: { ...AFTER.exchange, servers: [{ name: 'EX1', certificates: [] }, AFTER.exchange.servers[1]!] } },
            line: `  EX1: - ${IIS}, - ${OAUTH}`,
        },
        {
            name: 'a pending Key Vault creation',
            after: { ...AFTER, keyVault: { certificates: [{ name: 'c', version: 'v', status: 'pending' as const, thumbprint: null, notAfter: null }] } },
            line: '  + c: creation pending',
        },
        {
            name: 'an empty vault',
            before: BEFORE,
            after: BEFORE,
            line: '  no certificates',
        },
    ] satisfies { name: string; before?: WorldSnapshot; after?: WorldSnapshot; line: string }[])('shows $name', ({ before, after, line }) => {
        // Act
        const lines = summarizeWorld(before ?? AFTER, after ?? AFTER);

        // Assess
        expect(lines).toContain(line);
    });
});
