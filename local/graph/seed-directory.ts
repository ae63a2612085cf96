import { randomUUID } from 'node:crypto';
import type { EntraScenario } from '../scenario/entra-schema';
import { generateSelfSignedCertificate } from '../scenario/generate-certificate';
import { certificateFacts, EXCHANGE_ONLINE_APP_ID, graphDateTime, type DirectoryObject, type StoredKeyCredential } from './directory-state';

/** Looks up the DER (Buffer or base64) of an Exchange scenario certificate by its scenario id. */
export type CertificateDerLookup = (certificateId: string) => Buffer | string | undefined;

const DAY_MS = 86_400_000;

function derBase64For(credential: EntraScenario['keyCredentials'][number], index: number, lookup: CertificateDerLookup, nowMs: number): string {
    if (credential.certificate !== undefined) {
        const der = lookup(credential.certificate);
        if (der === undefined) throw new Error(`entra.keyCredentials[${index}].certificate: "${credential.certificate}" is not a certificate of the Exchange scenario`);
        return typeof der === 'string' ? der : der.toString('base64');
    }
    const notBefore = credential.startDateTime === undefined ? new Date(nowMs - 30 * DAY_MS) : new Date(credential.startDateTime);
    const notAfter = credential.endDateTime === undefined ? new Date(nowMs + 335 * DAY_MS) : new Date(credential.endDateTime);
    return generateSelfSignedCertificate({ subject: credential.displayName.replace(/^CN=/i, '') || 'pre-existing', notBefore, notAfter }).derBase64;
}

function storedCredential(credential: EntraScenario['keyCredentials'][number], index: number, lookup: CertificateDerLookup, nowMs: number): StoredKeyCredential {
    const key = derBase64For(credential, index, lookup, nowMs);
    const facts = certificateFacts(key);
    if (facts === undefined) throw new Error(`entra.keyCredentials[${index}]: the certificate is not a DER X.509 certificate`);
    return {
        keyId: credential.keyId ?? randomUUID(),
        type: 'AsymmetricX509Cert',
        usage: credential.usage,
        key,
        customKeyIdentifier: credential.customKeyIdentifier ?? facts.thumbprint,
        displayName: credential.displayName,
        startDateTime: graphDateTime(credential.startDateTime === undefined ? facts.notBeforeMs : Date.parse(credential.startDateTime)),
        endDateTime: graphDateTime(credential.endDateTime === undefined ? facts.notAfterMs : Date.parse(credential.endDateTime)),
    };
}

/**
 * The directory objects of the scenario: the Exchange Online service principal (unless the scenario
 * says Exchange Online is not licensed) and, for an application key target, that application. The
 * scenario's existing key credentials sit on the key target; further applications (the dedicated
 * hybrid application) carry their own.
 */
export function seedDirectory(entra: EntraScenario, lookup: CertificateDerLookup, nowMs: number): DirectoryObject[] {
    const credentials = entra.keyCredentials.map((credential, index) => storedCredential(credential, index, lookup, nowMs));
    const objects: DirectoryObject[] = [];
    const servicePrincipalIsTarget = entra.keyTarget.kind === 'firstPartyServicePrincipal';
    if (!servicePrincipalIsTarget || entra.keyTargetExists) {
        objects.push({
            kind: 'servicePrincipal',
            id: randomUUID(),
            appId: EXCHANGE_ONLINE_APP_ID,
            displayName: 'Office 365 Exchange Online',
            keyCredentials: servicePrincipalIsTarget ? credentials : [],
        });
    }
    if (entra.keyTarget.kind === 'application' && entra.keyTargetExists) {
        objects.push({ kind: 'application', id: randomUUID(), appId: entra.keyTarget.appId, displayName: 'Exchange hybrid application', keyCredentials: credentials });
    }
    for (const [index, application] of entra.otherApplications.entries()) {
        if (objects.some((object) => object.appId.toLowerCase() === application.appId.toLowerCase())) {
            throw new Error(`entra.otherApplications[${index}].appId: ${application.appId} is already an object of the directory`);
        }
        const keyCredentials = application.keyCredentials.map((credential, i) => storedCredential(credential, i, lookup, nowMs));
        objects.push({ kind: 'application', id: randomUUID(), appId: application.appId, displayName: application.displayName, keyCredentials });
    }
    return objects;
}
