import type { InventoryView } from '../../lib/contracts/inventory';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIRST_PARTY_APP_ID = '00000002-0000-0ff1-ce00-000000000000';

/**
 * The dedicated Exchange hybrid applications the organization trusts its Auth certificate through: the appId an
 * EvoSts AuthServer names. CSS-Exchange Hybrid/ConfigureExchangeHybridApplication/ConfigureExchangeHybridApplication.ps1
 * finds that AuthServer by name ("EvoSts - {tenant id}", or "EvoSTS" before), Type AzureAD, a tenant id as Realm and
 * Enabled, and its -ConfigureAuthServer step writes the application's appId there (Set-AuthServer -ApplicationIdentifier).
 */
export function hybridApplicationIds(inventory: InventoryView): string[] {
    const ids = (inventory.authServers ?? [])
        .filter((a) => /evosts/i.test(a.name) && a.type?.toLowerCase() === 'azuread' && a.enabled)
        .map((a) => a.applicationIdentifier?.toLowerCase() ?? '')
        .filter((id) => GUID.test(id) && id !== FIRST_PARTY_APP_ID);
    return [...new Set(ids)].sort();
}

/**
 * What the administrator runs so that a dedicated hybrid application the product does not write to trusts the new
 * Auth certificate too: the script uploads the current and the next Auth certificate to the application
 * ("useful if the Auth Certificate has been renewed": CSS-Exchange docs/Hybrid/ConfigureExchangeHybridApplication.md,
 * -UpdateCertificate, -CertificateMethod Thumbprint, -CertificateInformation).
 */
export function hybridApplicationRemedy(appId: string, thumbprint: string): string {
    return `the dedicated Exchange hybrid application ${appId} (named by the EvoSts AuthServer) trusts the Auth certificate too and was not given the new key: on an Exchange server, run .\\ConfigureExchangeHybridApplication.ps1 -UpdateCertificate -CertificateMethod Thumbprint -CertificateInformation ${thumbprint} (https://aka.ms/ConfigureExchangeHybridApplication), or list it in PPO_KEY_TARGET_APP_IDS so that rotations give it the new key`;
}
