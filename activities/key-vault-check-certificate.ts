import { appServices } from '../lib/app-services';
import { creationStatus } from './key-vault-certificate-state';
import { outcomeOf, registerActivity } from './register-activity';

registerActivity('keyVaultCheckCertificate', ({ certificateName }) =>
    outcomeOf(async () => ({ status: creationStatus(await (await appServices().certificates()).readCreation(certificateName)) })),
);
