import {
    type OperationName,
    type OperationParams,
    type OperationResult,
    OPERATION_SCHEMAS,
    parseAdminDisplayVersion,
    type ShellInventory,
    type SharedSecret,
    unsealPrivateKey,
    type InventoryResult,
} from '../../lib/protocol';
import { PushProxyError } from '../../lib/errors';
import type { CertificateSource, ExchangeShell } from '../exchange-shell';
import { checkAuthServerRealm, checkPushProxyOrganization } from './organization-domains';

export interface OperationContext {
    readonly shell: ExchangeShell;
    readonly sharedSecret: SharedSecret;
}

type OperationRunners = { [N in OperationName]: (params: OperationParams<N>, context: OperationContext) => Promise<unknown> };

export function addParsedBuilds(inventory: ShellInventory): InventoryResult {
    return { ...inventory, servers: inventory.servers.map((server) => ({ ...server, build: parseAdminDisplayVersion(server.adminDisplayVersion) })) };
}

const RUNNERS: OperationRunners = {
    // With how many sessions the agent runs Exchange work side by side: the orchestrator sizes import calls by it.
    inventory: async (_params, { shell }) => ({ ...addParsedBuilds(await shell.inventory()), exchangeSessions: shell.sessions ?? 1 }),
    installCertificate: async (params, { shell, sharedSecret }) => {
        const source: CertificateSource =
            params.source.kind === 'server'
                ? { kind: 'server', server: params.source.server }
                : { kind: 'pfx', ...unsealPrivateKey(params.source.sealed, sharedSecret) };
        return shell.installCertificate({
            thumbprint: params.thumbprint,
            source,
            servers: params.servers,
            privateKeyExportable: params.privateKeyExportable,
        });
    },
    setAuthConfig: (params, { shell }) => shell.setAuthConfig(params),
    ensureAuthServer: async (params, { shell }) => {
        await checkAuthServerRealm(params, shell);
        return shell.ensureAuthServer(params);
    },
    enablePushProxy: async (params, { shell }) => {
        await checkPushProxyOrganization(params, shell);
        return shell.enablePushProxy(params);
    },
    restartHealthManager: (params, { shell }) => shell.restartHealthManager(params),
    restartAuthServices: (params, { shell }) => shell.restartAuthServices(params),
    invokeProbe: (params, { shell }) => shell.invokeProbe(params),
};

/** Runs one validated operation against the shell and checks that the result has the protocol's shape. */
export async function executeOperation<N extends OperationName>(
    operation: N,
    params: OperationParams<N>,
    context: OperationContext,
): Promise<OperationResult<N>> {
    const runner = RUNNERS[operation] as (params: OperationParams<N>, context: OperationContext) => Promise<unknown>;
    const raw = await runner(params, context);
    const checked = OPERATION_SCHEMAS[operation].result.safeParse(raw);
    if (!checked.success) {
        const fields = checked.error.issues.map((issue) => issue.path.join('.') || '(root)').join(', ');
        throw new PushProxyError('exchange_failed', `The Exchange shell returned a ${operation} result of an unexpected shape (${fields}).`);
    }
    return checked.data as OperationResult<N>;
}
