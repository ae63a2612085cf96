import { RestError, TableClient, type TableEntityResult } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { RunRecord, TenantRecord } from '../contracts/activities';
import { PermanentError, TransientError } from '../errors';

export const RUN_HISTORY_LIMIT = 30;

/** What a tenant is bound to: its hybrid connection and its Exchange organization. */
export type TenantBinding = Pick<TenantRecord, 'hybridConnection' | 'organizationGuid'>;
const PARTITION = 'tenant';

export interface RegistryEntry {
    readonly record: TenantRecord;
    readonly lastRun: RunRecord | null;
    /** Newest first, at most RUN_HISTORY_LIMIT. */
    readonly history: readonly RunRecord[];
}

interface TenantEntity {
    partitionKey: string;
    rowKey: string;
    record: string;
    lastRun?: string;
    history?: string;
}

/** The tenants the product has onboarded, with the results of their latest runs (Azure Table Storage). */
export class TenantRegistry {
    private ready: Promise<void> | undefined;

    constructor(private readonly table: TableClient) {}

    static withCredential(endpoint: string, tableName: string, credential: TokenCredential): TenantRegistry {
        return new TenantRegistry(new TableClient(endpoint, tableName, credential));
    }

    /** Local development only: Azurite's connection string. */
    static withConnectionString(connectionString: string, tableName: string): TenantRegistry {
        return new TenantRegistry(TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true }));
    }

    async save(record: TenantRecord): Promise<void> {
        await this.call(async () => {
            await this.table.upsertEntity<TenantEntity>({ partitionKey: PARTITION, rowKey: record.tenantDomain, record: JSON.stringify(record) }, 'Merge');
        });
    }

    /** Moves the tenant to another hybrid connection and organization; returns the binding it had. Optimistic concurrency on the row. */
    async rebind(tenantDomain: string, binding: TenantBinding): Promise<TenantBinding> {
        return this.call(async () => {
            for (let attempt = 0; attempt < 5; attempt++) {
                const entity = await this.table.getEntity<TenantEntity>(PARTITION, tenantDomain);
                const record = JSON.parse(entity.record) as TenantRecord;
                const next: TenantRecord = { ...record, ...binding };
                try {
                    await this.table.updateEntity<TenantEntity>({ partitionKey: PARTITION, rowKey: tenantDomain, record: JSON.stringify(next) }, 'Merge', { etag: entity.etag });
                    return { hybridConnection: record.hybridConnection, organizationGuid: record.organizationGuid ?? null };
                } catch (error) {
                    if (!(error instanceof RestError && error.statusCode === 412)) throw error;
                }
            }
            throw new TransientError('registry_conflict', `the registry row of ${tenantDomain} kept changing while re-binding it`);
        });
    }

    async get(tenantDomain: string): Promise<RegistryEntry | undefined> {
        return this.call(async () => {
            try {
                return toEntry(await this.table.getEntity<TenantEntity>(PARTITION, tenantDomain));
            } catch (error) {
                if (error instanceof RestError && error.statusCode === 404) return undefined;
                throw error;
            }
        });
    }

    async list(): Promise<RegistryEntry[]> {
        return this.call(async () => {
            const entries: RegistryEntry[] = [];
            for await (const entity of this.table.listEntities<TenantEntity>({ queryOptions: { filter: `PartitionKey eq '${PARTITION}'` } })) {
                entries.push(toEntry(entity));
            }
            return entries;
        });
    }

    /** Up to `limit` tenants after `after` in domain order, and where the next page starts (null at the end). */
    async listPage(after: string | null, limit: number): Promise<{ entries: RegistryEntry[]; next: string | null }> {
        return this.call(async () => {
            const filter = after === null ? `PartitionKey eq '${PARTITION}'` : `PartitionKey eq '${PARTITION}' and RowKey gt '${after.replace(/'/g, "''")}'`;
            const pages = this.table.listEntities<TenantEntity>({ queryOptions: { filter } }).byPage({ maxPageSize: limit + 1 });
            const entries: RegistryEntry[] = [];
            for await (const page of pages) {
                for (const entity of page) entries.push(toEntry(entity));
                if (entries.length > limit) break;
            }
            const pageEntries = entries.slice(0, limit);
            return { entries: pageEntries, next: entries.length > limit ? (pageEntries.at(-1)?.record.tenantDomain ?? null) : null };
        });
    }

    /** Appends a run result, keeping the newest RUN_HISTORY_LIMIT; optimistic concurrency on the row. */
    async recordRun(run: RunRecord): Promise<void> {
        await this.call(async () => {
            for (let attempt = 0; attempt < 5; attempt++) {
                const entity = await this.table.getEntity<TenantEntity>(PARTITION, run.tenantDomain);
                const history = parseHistory(entity.history).filter((r) => r.runId !== run.runId);
                const next = [run, ...history].slice(0, RUN_HISTORY_LIMIT);
                try {
                    await this.table.updateEntity<TenantEntity>(
                        { partitionKey: PARTITION, rowKey: run.tenantDomain, record: entity.record, lastRun: JSON.stringify(run), history: JSON.stringify(next) },
                        'Replace',
                        { etag: entity.etag },
                    );
                    return;
                } catch (error) {
                    if (!(error instanceof RestError && error.statusCode === 412)) throw error;
                }
            }
            throw new TransientError('registry_conflict', `the registry row of ${run.tenantDomain} kept changing while recording a run`);
        });
    }

    private async call<T>(operation: () => Promise<T>): Promise<T> {
        this.ready ??= this.createTable();
        await this.ready;
        try {
            return await operation();
        } catch (error) {
            throw mapRegistryError(error);
        }
    }

    private async createTable(): Promise<void> {
        try {
            await this.table.createTable();
        } catch (error) {
            this.ready = undefined;
            throw mapRegistryError(error);
        }
    }
}

function toEntry(entity: TableEntityResult<TenantEntity>): RegistryEntry {
    return {
        record: JSON.parse(entity.record) as TenantRecord,
        lastRun: entity.lastRun ? (JSON.parse(entity.lastRun) as RunRecord) : null,
        history: parseHistory(entity.history),
    };
}

function parseHistory(text: string | undefined): RunRecord[] {
    return text ? (JSON.parse(text) as RunRecord[]) : [];
}

function mapRegistryError(error: unknown): Error {
    if (error instanceof TransientError || error instanceof PermanentError) return error;
    if (error instanceof RestError) {
        const status = error.statusCode ?? 0;
        if (status === 401 || status === 403) {
            return new PermanentError('registry_forbidden', `Table Storage refused access (${status})`, {
                remedy: "Grant the Function App's managed identity the Storage Table Data Contributor role on the storage account.",
                cause: error,
            });
        }
        if (status === 404) return new PermanentError('registry_not_found', 'the registry table or account does not exist', { cause: error });
        return new TransientError('registry_unavailable', `Table Storage answered ${status || error.code || 'a network error'}`, { cause: error });
    }
    return new TransientError('registry_unavailable', error instanceof Error ? error.message : String(error), { cause: error });
}
