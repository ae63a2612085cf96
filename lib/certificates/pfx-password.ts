import { randomBytes } from 'node:crypto';

/**
 * A fresh password for one PFX hand-over: 32 random bytes as base64url (256 bits, printable, no
 * characters that PowerShell or Windows certificate import treat specially).
 */
export function newPfxPassword(): string {
    return randomBytes(32).toString('base64url');
}
