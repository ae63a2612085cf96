import { appServices } from '../lib/app-services';
import type { InstallOutcomes, InstallSource } from '../lib/contracts/activities';
import { PermanentError } from '../lib/errors';
import type { OperationParamsInput } from '../lib/protocol';

type InstallCertificateParams = OperationParamsInput<'installCertificate'>;
import { type ActivityHandler, outcomeOf } from './register-activity';

/**
 * Installs a certificate on the servers that lack it. From Key Vault, the PFX is read, re-wrapped
 * with a fresh password and sealed for this agent here, inside the activity: the private key, the
 * PFX and its password never reach orchestration history. The key is imported exportable, as the
 * article's New-ExchangeCertificate -PrivateKeyExportable $true makes it: a server rebuilt later gets it
 * copied on premises from another server.
 */
export const handler: ActivityHandler<'agentInstallCertificate'> = ({ hybridConnection, operationId, thumbprint, servers, source }) =>
    outcomeOf(async () => {
        const services = appServices();
        const params: InstallCertificateParams = { thumbprint, servers: [...servers], source: await agentSource(hybridConnection, source, thumbprint), privateKeyExportable: true };
        const result = await services.agents().call('installCertificate', params, { hybridConnection, operationId });
        const outcomes: InstallOutcomes = {
            imported: result.servers.filter((s) => s.outcome === 'imported').map((s) => s.server),
            present: result.servers.filter((s) => s.outcome === 'alreadyPresent').map((s) => s.server),
            failed: result.servers.filter((s) => s.outcome === 'failed').map((s) => ({ server: s.server, detail: s.error ?? 'import failed' })),
        };
        return outcomes;
    });

async function agentSource(hybridConnection: string, source: InstallSource, thumbprint: string): Promise<InstallCertificateParams['source']> {
    if (source.kind === 'server') return { kind: 'server', server: source.server };
    const services = appServices();
    // A Key Vault certificate belongs to the organization it was made for, and is sent to no other.
    const version = await (await services.certificates()).readPublicCertificate(source.certificateName, source.version);
    if (version === undefined) throw new PermanentError('keyvault_certificate_missing', `Key Vault has no version ${source.version} of ${source.certificateName}`);
    if (version.organizationGuid !== source.organizationGuid.toLowerCase()) {
        throw new PermanentError(
            'certificate_other_organization',
            `${source.certificateName} (${source.version}) was made for organization ${version.organizationGuid ?? '(untagged)'}, not for ${source.organizationGuid}: its private key is not sent.`,
            { remedy: 'Onboard the tenant again: a certificate for this organization is created in Key Vault. If the organization changed, an administrator re-binds the tenant first.' },
        );
    }
    const pfx = await (await services.pfxExporter()).exportForAgent(source.certificateName, source.version, thumbprint);
    return { kind: 'sealedPfx', sealed: await services.agents().sealPrivateKey(hybridConnection, pfx) };
}
