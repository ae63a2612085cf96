import type { RequestedBy } from '../auth/caller';
import { RestError, TableClient, type TableEntityResult } from '@azure/data-tables';
import type { TokenCredential } from '@azure/identity';
import type { RunRecord, TenantRecord } from '../contracts/activities';
import { PermanentError, TransientError } from '../errors';

export const RUN_HISTORY_LIMIT = 30;

/** What a tenant is bound to: its hybrid connection and its Exchange organization. */
export type TenantBinding = Pick<TenantRecord, 'hybridConnection' | 'organizationGuid'>;
const PARTITION = 'tenant';
/** Rows that claim a tenant for one run at a time (see claimRun); listings of tenants never see them. */
const CLAIM_PARTITION = 'runClaim';

export interface RegistryEntry {
    readonly record: TenantRecord;
    readonly lastRun: RunRecord | null;
    /** Newest first, at most RUN_HISTORY_LIMIT. */
    readonly history: readonly RunRecord[];
}

/** Who holds a tenant's run slot: the run the API is starting or has started. */
export interface RunClaim {
    readonly runId: string;
    readonly orchestration: 'onboardTenant' | 'reverifyTenant';
    /** When the API claimed the slot (the API's own clock), to find a claim whose start never happened. */
    readonly claimedAt: string;
}

/** A claim as read back, with the ETag that a takeover must match. */
export interface HeldClaim extends RunClaim {
    readonly etag: string;
}

export type ClaimResult = { readonly claimed: true } | { readonly claimed: false; readonly holder: HeldClaim };

interface ClaimEntity {
    partitionKey: string;
    rowKey: string;
    runId: string;
    orchestration: string;
    claimedAt: string;
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

    /**
     * Saves a tenant's record, keeping what the registry already knew and the run could not: the
     * first onboarding time, and for the same certificate its source and Key Vault name and version
     * (a re-onboarding finds the certificate it created on the servers and reports it `reused`).
     * Optimistic concurrency on the row, as recordRun.
     */
    async save(record: TenantRecord): Promise<void> {
        await this.call(async () => {
            for (let attempt = 0; attempt < 5; attempt++) {
                let existing: TableEntityResult<TenantEntity> | undefined;
                try {
                    existing = await this.table.getEntity<TenantEntity>(PARTITION, record.tenantDomain);
                } catch (error) {
                    if (!(error instanceof RestError && error.statusCode === 404)) throw error;
                }
                const merged = JSON.stringify(existing ? mergeRecords(JSON.parse(existing.record) as TenantRecord, record) : record);
                try {
                    if (existing) {
                        await this.table.updateEntity<TenantEntity>({ partitionKey: PARTITION, rowKey: record.tenantDomain, record: merged }, 'Merge', { etag: existing.etag });
                    } else {
                        await this.table.createEntity<TenantEntity>({ partitionKey: PARTITION, rowKey: record.tenantDomain, record: merged });
                    }
                    return;
                } catch (error) {
                    if (!(error instanceof RestError && (error.statusCode === 412 || error.statusCode === 409))) throw error;
                }
            }
            throw new TransientError('registry_conflict', `the registry row of ${record.tenantDomain} kept changing while saving it`);
        });
    }

    /** Moves the tenant to another hybrid connection and organization, recording who asked; returns the binding it had. Optimistic concurrency on the row. */
    async rebind(tenantDomain: string, binding: TenantBinding, requestedBy: RequestedBy): Promise<TenantBinding> {
        return this.call(async () => {
            for (let attempt = 0; attempt < 5; attempt++) {
                const entity = await this.table.getEntity<TenantEntity>(PARTITION, tenantDomain);
                const record = JSON.parse(entity.record) as TenantRecord;
                const next: TenantRecord = { ...record, ...binding, requestedBy };
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

    /**
     * Claims the tenant's run slot for `claim`: an insert that Table Storage refuses with 409
     * EntityAlreadyExists when the row exists ("Insert Entity", learn.microsoft.com/rest/api/storageservices/insert-entity),
     * so of any number of concurrent claims exactly one succeeds, on Azure as on Azurite. The
     * others get the holder, to judge whether it is stale.
     */
    async claimRun(tenantDomain: string, claim: RunClaim): Promise<ClaimResult> {
        return this.call(async () => {
            try {
                await this.table.createEntity<ClaimEntity>({ partitionKey: CLAIM_PARTITION, rowKey: tenantDomain, ...claim });
                return { claimed: true } as const;
            } catch (error) {
                if (!(error instanceof RestError && error.statusCode === 409)) throw error;
            }
            try {
                const held = await this.table.getEntity<ClaimEntity>(CLAIM_PARTITION, tenantDomain);
                return { claimed: false, holder: toClaim(held) } as const;
            } catch (error) {
                // Released between the insert and the read: the slot is free, claim it again.
                if (error instanceof RestError && error.statusCode === 404) return this.claimRun(tenantDomain, claim);
                throw error;
            }
        });
    }

    /**
     * Replaces a stale claim with `claim`, only if it is still the one read (If-Match on its ETag;
     * Table Storage answers 412 otherwise, "Update Entity", learn.microsoft.com/rest/api/storageservices/update-entity2):
     * of concurrent takeovers of one stale claim exactly one wins. False when another won.
     */
    async takeOverClaim(tenantDomain: string, stale: HeldClaim, claim: RunClaim): Promise<boolean> {
        return this.call(async () => {
            try {
                await this.table.updateEntity<ClaimEntity>({ partitionKey: CLAIM_PARTITION, rowKey: tenantDomain, ...claim }, 'Replace', { etag: stale.etag });
                return true;
            } catch (error) {
                if (error instanceof RestError && (error.statusCode === 412 || error.statusCode === 404)) return false;
                throw error;
            }
        });
    }

    /** Gives the slot back when the claimed run was not started; only the claim of `runId` is removed. */
    async releaseClaim(tenantDomain: string, runId: string): Promise<void> {
        await this.call(async () => {
            try {
                const held = await this.table.getEntity<ClaimEntity>(CLAIM_PARTITION, tenantDomain);
                if (held.runId !== runId) return;
                await this.table.deleteEntity(CLAIM_PARTITION, tenantDomain, { etag: held.etag });
            } catch (error) {
                if (error instanceof RestError && (error.statusCode === 404 || error.statusCode === 412)) return;
                throw error;
            }
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

/** The record to store when `next` is saved over `previous` (see save). */
export function mergeRecords(previous: TenantRecord, next: TenantRecord): TenantRecord {
    const sameCertificate = previous.certificate.thumbprint === next.certificate.thumbprint;
    const knewMore = sameCertificate && next.certificate.keyVaultName === null && previous.certificate.keyVaultName !== null;
    return {
        ...next,
        onboardedAt: previous.onboardedAt < next.onboardedAt ? previous.onboardedAt : next.onboardedAt,
        certificate: knewMore ? previous.certificate : next.certificate,
    };
}

function toClaim(entity: TableEntityResult<ClaimEntity>): HeldClaim {
    return {
        runId: entity.runId,
        orchestration: entity.orchestration === 'reverifyTenant' ? 'reverifyTenant' : 'onboardTenant',
        claimedAt: entity.claimedAt,
        etag: entity.etag,
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
