import { appServices } from '../lib/app-services';
import { creationStatus } from './key-vault-certificate-state';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'keyVaultStartCertificate'> = ({ tenantDomain, organizationGuid, dnsName, keySize, validityMonths, renewIfNotAfterBefore }) =>
    outcomeOf(async () => {
        const certificates = await appServices().certificates();
        const state = await certificates.startCreation({ tenantDomain, organizationGuid, userDnsDomain: dnsName, keySizeBits: keySize, validityMonths }, renewIfNotAfterBefore === undefined ? {} : { renewIfNotAfterBefore });
        return { certificateName: state.certificateName, status: creationStatus(state) };
    });
