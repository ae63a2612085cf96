import type { OrchestratorReplay } from '../../local/host';

/** Collects the local host's orchestrator replays (LocalHostOptions.onOrchestratorReplay). */
export class ReplayMeter {
    private samples: OrchestratorReplay[] = [];

    readonly record = (replay: OrchestratorReplay): void => {
        this.samples.push(replay);
    };

    /** CPU milliseconds spent replaying orchestrations with one of these function names, the host's serialization of each episode's history included. */
    totalMs(functionNames: readonly string[]): number {
        return this.matching(functionNames).reduce((sum, replay) => sum + replay.ms + replay.serializeMs, 0);
    }

    /** Of totalMs, the host's serialization of the histories alone. */
    serializeMs(functionNames: readonly string[]): number {
        return this.matching(functionNames).reduce((sum, replay) => sum + replay.serializeMs, 0);
    }

    /** Bytes of history the host serialized and the orchestrator replayed, over every episode. */
    replayedBytes(functionNames: readonly string[]): number {
        return this.matching(functionNames).reduce((sum, replay) => sum + replay.triggerBytes, 0);
    }

    episodes(functionNames: readonly string[]): number {
        return this.matching(functionNames).length;
    }

    /** The samples of one orchestration instance. */
    instanceMs(instanceId: string): number {
        return this.samples.filter((replay) => replay.instanceId === instanceId).reduce((sum, replay) => sum + replay.ms + replay.serializeMs, 0);
    }

    reset(): void {
        this.samples = [];
    }

    private matching(functionNames: readonly string[]): OrchestratorReplay[] {
        const names = new Set(functionNames.map((name) => name.toLowerCase()));
        return this.samples.filter((replay) => names.has(replay.functionName.toLowerCase()));
    }
}
