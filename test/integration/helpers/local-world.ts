import { createAzureAccess, type AzureAccess } from '../../../lib/identity/azure-access';
import { readAzureAccessSettings } from '../../../lib/identity/settings';
import type { RetryPolicy } from '../../../lib/identity/transient-retry';
import type { CloudName } from '../../../lib/clouds';
import { VirtualClock } from '../../../local/clock';
import type { CertificateDerLookup } from '../../../local/graph/seed-directory';
import { createLocalCloudTls, startLocalCloud, type LocalCloud, type LocalCloudTls, type LocalProviderOptions } from '../../../local/identity/local-cloud';
import { entraScenarioSchema } from '../../../local/scenario/entra-schema';
import { faultsScenarioSchema } from '../../../local/scenario/faults-schema';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { z } from 'zod';

export const TENANT_ID = '6f1c3a52-1d2e-4b7a-9c3d-2e4f5a6b7c8d';

export interface WorldOptions {
    readonly cloud?: CloudName;
    readonly entra?: Partial<z.input<typeof entraScenarioSchema>>;
    readonly faults?: z.input<typeof faultsScenarioSchema>;
    readonly certificateDer?: CertificateDerLookup;
    /** A provider deployment (multi-tenant) with these customer directories besides the first. */
    readonly provider?: LocalProviderOptions;
    readonly domains?: readonly string[];
}

/** A running local cloud, the product's access to it built from its app settings, and a recording retry policy. */
export interface TestWorld {
    readonly cloud: LocalCloud;
    readonly access: AzureAccess;
    readonly clock: VirtualClock;
    /** Waits the product asked for between retries (not slept). */
    readonly waits: number[];
    readonly retry: RetryPolicy;
    close(): Promise<void>;
}

// RSA key generation dominates start-up: one CA and server certificate per test file, and (tests
// only) the server's key doubles as the issuer's signing key.
let shared: { readonly tls: LocalCloudTls; readonly issuerSigningKey: KeyObject } | undefined;

function sharedKeys(): { readonly tls: LocalCloudTls; readonly issuerSigningKey: KeyObject } {
    if (shared === undefined) {
        const tls = createLocalCloudTls();
        shared = { tls, issuerSigningKey: createPrivateKey(tls.server.keyPem) };
    }
    return shared;
}

export async function startWorld(options: WorldOptions = {}): Promise<TestWorld> {
    const clock = new VirtualClock();
    const cloud = await startLocalCloud({
        ...sharedKeys(),
        cloud: options.cloud ?? 'global',
        entra: entraScenarioSchema.parse({ tenantId: TENANT_ID, ...options.entra }),
        faults: faultsScenarioSchema.parse(options.faults ?? {}),
        clock,
        ...(options.certificateDer === undefined ? {} : { certificateDer: options.certificateDer }),
        ...(options.provider === undefined ? {} : { provider: options.provider }),
        ...(options.domains === undefined ? {} : { domains: options.domains }),
    });
    // The product is configured the way the app is: from its environment.
    const access = createAzureAccess(readAzureAccessSettings(cloud.environment()));
    const waits: number[] = [];
    const retry: RetryPolicy = {
        maxAttempts: 4,
        maxInlineWaitMs: 30_000,
        baseDelayMs: 1_000,
        sleep: (ms) => {
            waits.push(ms);
            return Promise.resolve();
        },
    };
    return {
        cloud,
        access,
        clock,
        waits,
        retry,
        close: async () => {
            access.agent?.destroy();
            await cloud.close();
        },
    };
}
