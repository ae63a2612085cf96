import { createHash } from 'node:crypto';
import { ValidationError } from '../errors';

const PREFIX = 'exo-oauth-';
const MAX_NAME_LENGTH = 127;
const HASH_LENGTH = 8;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Lower-cases and validates a DNS domain (IDNs in their xn-- form). */
export function normaliseTenantDomain(tenantDomain: string): string {
    const domain = tenantDomain.trim().toLowerCase().replace(/\.$/, '');
    if (!DOMAIN_PATTERN.test(domain)) throw new ValidationError([{ field: 'tenantDomain', reason: `"${tenantDomain}" is not a DNS domain name` }]);
    return domain;
}

/**
 * The Key Vault certificate name for a tenant: "exo-oauth-" + the domain with dots as dashes + "-" +
 * 8 hex of its SHA-256. Within Key Vault's rules (1-127 characters of 0-9, a-z, A-Z and "-"); the
 * hash keeps "a-b.com" and "a.b-com" apart and survives truncation of very long domains.
 */
export function certificateNameForTenant(tenantDomain: string): string {
    const domain = normaliseTenantDomain(tenantDomain);
    const hash = createHash('sha256').update(domain).digest('hex').slice(0, HASH_LENGTH);
    const readable = domain.replace(/\./g, '-').slice(0, MAX_NAME_LENGTH - PREFIX.length - HASH_LENGTH - 1).replace(/-+$/, '');
    return `${PREFIX}${readable}-${hash}`;
}
