import { createLocalCloudTls, type LocalCloudTls } from '../../../local/identity/local-cloud';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../local/stack/local-stack';

let sharedTls: LocalCloudTls | undefined;

/** Starts the real local stack for a CLI under test and keeps it, so that the test can inspect the world afterwards. */
export class CapturedStack {
    stack: LocalStack | undefined;
    starts = 0;

    readonly startStack = async (options: LocalStackOptions): Promise<LocalStack> => {
        this.starts++;
        sharedTls ??= createLocalCloudTls();
        this.stack = await startLocalStack({ ...options, tls: sharedTls });
        return this.stack;
    };

    get world(): LocalStack {
        if (this.stack === undefined) throw new Error('the CLI never started the stack');
        return this.stack;
    }
}

/** True when nothing answers at the URL any more. */
export async function isClosed(baseUrl: string): Promise<boolean> {
    try {
        await fetch(`${baseUrl}/api/tenants`, { signal: AbortSignal.timeout(5_000) });
        return false;
    } catch {
        return true;
    }
}
