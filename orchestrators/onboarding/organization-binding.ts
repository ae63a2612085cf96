import type { InventoryView } from '../../lib/contracts/inventory';
import { RunFailure } from '../run-failure';

/**
 * A tenant is bound at its first onboarding to its hybrid connection and to the Exchange
 * organization (Get-OrganizationConfig GUID) that answered there (issue 15, finding 2). When the
 * agent on that connection now reports another organization, nothing is written: its servers would
 * otherwise receive the tenant's Key Vault certificate, and the tenant's own servers lose the key
 * they sign with at the next rotation.
 */
export function checkOrganizationBinding(boundGuid: string | null | undefined, inventory: InventoryView, tenantDomain: string, hybridConnection: string): void {
    if (boundGuid === null || boundGuid === undefined) return;
    if (boundGuid.toLowerCase() === inventory.organization.guid.toLowerCase()) return;
    throw new RunFailure({
        step: 'inventory',
        code: 'organization_mismatch',
        message: `${tenantDomain} is bound to Exchange organization ${boundGuid}, but the agent on ${hybridConnection} reports ${inventory.organization.name} (${inventory.organization.guid}). Nothing was changed.`,
        remedy: `If the tenant really moved to this organization, an administrator re-binds it (POST /api/tenants/${tenantDomain}/rebind with the new organizationGuid); otherwise check which organization's agent listens on ${hybridConnection}.`,
    });
}
