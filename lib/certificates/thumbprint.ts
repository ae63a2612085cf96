import { createHash } from 'node:crypto';

/** Upper-case hex SHA-1 of a certificate's DER, as Exchange, Windows and Graph show thumbprints. */
export function thumbprintOfDer(der: Uint8Array): string {
    return createHash('sha1').update(der).digest('hex').toUpperCase();
}

/** Normalises a thumbprint typed or stored in another form (lower case, spaces, colons) for comparison. */
export function normaliseThumbprint(value: string): string {
    return value.replace(/[\s:]/g, '').toUpperCase();
}
