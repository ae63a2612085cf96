import type { Clock } from '../clock';
import type { LogSink } from '../../lib/logger';
import type { DurableStore } from './durable/store';
import type { AppServiceAuthentication } from './http/app-service-auth';

export interface LocalHostOptions {
    /** Absolute path of the app entry module (.ts under vitest, .js from dist/). */
    readonly entry: string;
    /** Default 7071; 0 picks a free port. The host listens on 127.0.0.1 only. */
    readonly port?: number;
    /**
     * Default RealClock. With a VirtualClock, durable timers fire as soon as the host has no other
     * runnable work, in fire-time order, advancing the clock to each fire time (unless the clock was
     * made with `autoAdvance: false`, in which case time moves only when the test advances it).
     */
    readonly clock?: Clock;
    /** The key for authLevel 'function' routes (x-functions-key header or ?code=); also the master and system key. Random by default. */
    readonly functionKey?: string;
    /** Deliver some activities twice: each activity execution is repeated with this probability, decided by the seed. */
    readonly atLeastOnce?: { readonly seed: number; readonly probability: number };
    /** All context.log output, as structured records. Default: JSON lines on stdout. */
    readonly logSink?: LogSink;
    /** Instance and history store; default in memory. Give a stopped host's store to a new host to resume its unfinished instances. */
    readonly store?: DurableStore;
    /** App settings applied to process.env before the entry loads. */
    readonly env?: Record<string, string>;
    /** How many function invocations run at once (default 10 per CPU, as maxConcurrent*Functions). */
    readonly concurrency?: number;
    /** App Service authentication in front of the app's routes (/.auth/* and every /api request); none by default. */
    readonly authentication?: AppServiceAuthentication;
    /** Measurement hook (benchmarks): called after every synchronous run of an orchestrator function's handler. */
    readonly onOrchestratorReplay?: (replay: OrchestratorReplay) => void;
}

/**
 * One orchestrator episode's replay as the app ran it: durable-functions replays the whole history
 * and runs the orchestrator code synchronously inside the handler call, so the process CPU time
 * (user + system) of that call is the replay's (the host's own bookkeeping excluded).
 */
export interface OrchestratorReplay {
    readonly functionName: string;
    readonly instanceId: string | undefined;
    /** CPU milliseconds. */
    readonly ms: number;
}

export interface FunctionSummary {
    readonly name: string;
    readonly triggerType: string;
    /** For HTTP functions: the route under /api and the methods. */
    readonly route?: string;
    readonly methods?: readonly string[];
    readonly authLevel?: string;
}

export interface LocalHost {
    /** http://127.0.0.1:<port> */
    readonly baseUrl: string;
    readonly functionKey: string;
    readonly clock: Clock;
    readonly store: DurableStore;
    readonly functions: readonly FunctionSummary[];
    /** Stops serving and abandons in-flight work; nothing half-done reaches the store. */
    stop(): Promise<void>;
    /** Same as POST /admin/functions/<name>, but settles when the invocation has finished. */
    fireFunction(name: string, input?: unknown): Promise<void>;
    /** Resolves when no orchestration, activity or timer work is runnable. */
    whenIdle(): Promise<void>;
}
