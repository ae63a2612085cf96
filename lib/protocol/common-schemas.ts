import { z } from 'zod';

/** Upper-case hex SHA-1 of the certificate's DER, as Exchange and Graph show it. Input may be lower case. */
export const thumbprintSchema = z
    .string()
    .regex(/^[0-9A-Fa-f]{40}$/, 'must be 40 hexadecimal characters (SHA-1 thumbprint)')
    .transform((value) => value.toUpperCase());

/** A NetBIOS server name or an FQDN. */
export const serverNameSchema = z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/, 'must be a server name or FQDN');

/** A DNS domain such as contoso.com or contoso.onmicrosoft.com. */
export const domainNameSchema = z
    .string()
    .max(253)
    .regex(/^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/, 'must be a DNS domain name');

/** UTC time in ISO 8601 with a Z suffix. */
export const isoTimeSchema = z.iso.datetime();

export const base64Schema = z.base64();
