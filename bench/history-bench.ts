import { VirtualClock } from '../local/clock';
import { EventType, eventTypeName } from '../local/host';
import type { Scenario } from '../local/scenario/schema';
import { atMost, figure, type BenchmarkReport } from './model/results';
import { defaultScenario, startBenchWorld } from './support/bench-world';
import { largeOrganization } from './support/large-organization';
import { onboardOverHttp } from './support/onboard-over-http';
import { ReplayMeter } from './support/replay-meter';

const ONBOARD_ORCHESTRATIONS = ['onboardTenant'];
const KB = 1024;

interface HistoryRun {
    readonly servers: number;
    /** UTF-8 bytes of the finished history, each event serialized as the local host hands it to the orchestrator. */
    readonly writtenBytes: number;
    /** Of writtenBytes, the inventory activity's result. */
    readonly inventoryBytes: number;
    /** Bytes of history serialized and replayed over every episode. */
    readonly replayedBytes: number;
    readonly episodes: number;
    /** The largest events, by activity name or event type, with their bytes. */
    readonly largest: readonly string[];
}

async function onboardingHistory(scenario: Scenario): Promise<HistoryRun> {
    const meter = new ReplayMeter();
    const world = await startBenchWorld(scenario, { clock: new VirtualClock(), onOrchestratorReplay: meter.record });
    try {
        const { instanceId } = await onboardOverHttp(world);
        const history = world.host.store.get(instanceId)?.history ?? [];
        const bytesOf = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
        const inventoryScheduled = history.find((event) => event.EventType === EventType.TaskScheduled && event.Name === 'agentInventory');
        const inventoryCompleted = history.find((event) => event.EventType === EventType.TaskCompleted && event.TaskScheduledId === inventoryScheduled?.EventId);
        return {
            servers: scenario.exchange.servers.length,
            writtenBytes: bytesOf(history),
            inventoryBytes: inventoryCompleted === undefined ? 0 : bytesOf(inventoryCompleted),
            replayedBytes: meter.replayedBytes(ONBOARD_ORCHESTRATIONS),
            episodes: meter.episodes(ONBOARD_ORCHESTRATIONS),
            largest: history
                .map((event) => {
                    const scheduled = 'TaskScheduledId' in event ? history.find((e) => e.EventId === event.TaskScheduledId) : event;
                    const name = scheduled !== undefined && 'Name' in scheduled && typeof scheduled.Name === 'string' ? scheduled.Name : '';
                    return { label: `${eventTypeName(event.EventType)} ${name}`.trim(), bytes: bytesOf(event) };
                })
                .sort((a, b) => b.bytes - a.bytes)
                .slice(0, 6)
                .map((event) => `${event.label} ${(event.bytes / KB).toFixed(1)} KB`),
        };
    } finally {
        await world.stop();
    }
}

/**
 * B5 (issue 16): history bytes one onboarding writes, for a large organization (`serverCount` servers
 * with `certificatesPerServer` certificates each), and the bytes its episodes replay; the default
 * two-server organization beside it.
 */
export async function historyBench(serverCount: number, certificatesPerServer: number): Promise<BenchmarkReport> {
    const base = await defaultScenario();
    const small = await onboardingHistory(largeOrganization(base, 2, certificatesPerServer));
    const large = await onboardingHistory(largeOrganization(base, serverCount, certificatesPerServer));
    const kb = (bytes: number): string => `${(bytes / KB).toFixed(1)} KB`;
    return {
        figures: [
            figure('B5.historyBytes', `history written per onboarding, ${serverCount} servers × ${certificatesPerServer} certificates`, large.writtenBytes, 'bytes', atMost(64 * KB)),
            figure('B5.replayedBytes', `history replayed per onboarding, ${serverCount} servers`, large.replayedBytes, 'bytes'),
            figure('B5.historyBytesSmall', `history written per onboarding, 2 servers × ${certificatesPerServer} certificates`, small.writtenBytes, 'bytes'),
        ],
        notes: [
            'bytes: UTF-8 JSON of the finished onboardTenant history as the local host serializes it for the orchestrator; replayed: the serialized trigger of every episode, summed',
            ...[small, large].map(
                (run) =>
                    `${run.servers} servers: written ${kb(run.writtenBytes)} (inventory result ${kb(run.inventoryBytes)}), replayed ${kb(run.replayedBytes)} over ${run.episodes} episodes; largest events: ${run.largest.join(', ')}`,
            ),
        ],
    };
}
