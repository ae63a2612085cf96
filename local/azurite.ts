import { createRequire } from 'node:module';

/** Azurite's well-known development account (public, documented; not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface AzuriteTableServer {
    start(): Promise<void>;
    close(): Promise<void>;
    clean(): Promise<void>;
    getHttpServerAddress(): string;
}

type TableServerClass = new (configuration: unknown) => AzuriteTableServer;
type TableConfigurationClass = new (...args: unknown[]) => unknown;

export interface RunningAzurite {
    readonly tableEndpoint: string;
    readonly connectionString: string;
    stop(): Promise<void>;
}

/** Starts Azurite's Table service in this process, in memory, on a free loopback port. */
export async function startAzuriteTables(): Promise<RunningAzurite> {
    const load = createRequire(__filename);
    const { default: TableServer } = load('azurite/dist/src/table/TableServer') as { default: TableServerClass };
    const { default: TableConfiguration } = load('azurite/dist/src/table/TableConfiguration') as { default: TableConfigurationClass };
    // host, port, keepAlive, dbPath, debugLog, accessLog, accessLogStream, debugLogPath, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, inMemory
    const configuration = new TableConfiguration('127.0.0.1', 0, undefined, undefined, false, false, undefined, undefined, true, true, '', '', '', undefined, false, true);
    const server = new TableServer(configuration);
    await server.start();
    const tableEndpoint = `${server.getHttpServerAddress()}/${AZURITE_ACCOUNT}`;
    return {
        tableEndpoint,
        connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=${tableEndpoint};`,
        async stop() {
            await server.close();
            await server.clean();
        },
    };
}
