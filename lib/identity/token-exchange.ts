import type { CloudName } from '../contracts/clouds';

/**
 * The audience of the managed identity token that a federated identity credential accepts, per
 * cloud: "Configure an application to trust a managed identity",
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity
 * (audiences: api://AzureADTokenExchange in the global cloud, api://AzureADTokenExchangeUSGov in
 * Azure Government, api://AzureADTokenExchangeChina in Azure operated by 21Vianet). GCC High and
 * DoD tenants both live in Azure Government's Entra ID.
 */
export const TOKEN_EXCHANGE_AUDIENCES: Readonly<Record<CloudName, string>> = {
    global: 'api://AzureADTokenExchange',
    usGovHigh: 'api://AzureADTokenExchangeUSGov',
    usGovDoD: 'api://AzureADTokenExchangeUSGov',
    china: 'api://AzureADTokenExchangeChina',
};

/** The scope to ask the managed identity for: the audience with "/.default", as for any resource. */
export function tokenExchangeScope(cloud: CloudName): string {
    return `${TOKEN_EXCHANGE_AUDIENCES[cloud]}/.default`;
}
