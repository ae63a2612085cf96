import { appServices } from '../lib/app-services';
import { PermanentError } from '../lib/errors';
import { toVaultCertificate } from './vault-certificate';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'keyVaultGetCertificate'> = ({ certificateName }) =>
    outcomeOf(async () => {
        const certificate = await (await appServices().certificates()).readPublicCertificate(certificateName);
        if (!certificate) throw new PermanentError('keyvault_certificate_missing', `Key Vault has no completed certificate ${certificateName}`);
        return toVaultCertificate(certificate);
    });
