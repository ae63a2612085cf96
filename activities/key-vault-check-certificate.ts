import { appServices } from '../lib/app-services';
import { creationStatus } from './key-vault-certificate-state';
import { type ActivityHandler, outcomeOf } from './register-activity';

export const handler: ActivityHandler<'keyVaultCheckCertificate'> = ({ certificateName }) =>
    outcomeOf(async () => ({ status: creationStatus(await (await appServices().certificates()).readCreation(certificateName)) }));
