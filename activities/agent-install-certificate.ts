import { appServices } from '../lib/app-services';
import type { InstallSource, ServerInstallReport } from '../lib/contracts/activities';
import type { OperationParamsInput } from '../lib/protocol';

type InstallCertificateParams = OperationParamsInput<'installCertificate'>;
import { type ActivityHandler, outcomeOf } from './register-activity';

/**
 * Installs a certificate on the servers that lack it. From Key Vault, the PFX is read, re-wrapped
 * with a fresh password and sealed for this agent here, inside the activity: the private key, the
 * PFX and its password never reach orchestration history.
 */
export const handler: ActivityHandler<'agentInstallCertificate'> = ({ hybridConnection, operationId, thumbprint, servers, source }) =>
    outcomeOf(async () => {
        const services = appServices();
        const params: InstallCertificateParams = { thumbprint, servers: [...servers], source: await agentSource(hybridConnection, source, thumbprint), privateKeyExportable: false };
        const result = await services.agents().call('installCertificate', params, { hybridConnection, operationId });
        return {
            servers: result.servers.map(
                (s): ServerInstallReport => ({
                    server: s.server,
                    action: s.outcome === 'alreadyPresent' ? 'present' : s.outcome,
                    ...(s.error === null ? {} : { detail: s.error }),
                }),
            ),
        };
    });

async function agentSource(hybridConnection: string, source: InstallSource, thumbprint: string): Promise<InstallCertificateParams['source']> {
    if (source.kind === 'server') return { kind: 'server', server: source.server };
    const services = appServices();
    const pfx = await (await services.pfxExporter()).exportForAgent(source.certificateName, source.version, thumbprint);
    return { kind: 'sealedPfx', sealed: await services.agents().sealPrivateKey(hybridConnection, pfx) };
}
