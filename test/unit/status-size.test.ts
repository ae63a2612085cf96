import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { customStatusSizeError } from '../../local/host/durable/orchestration-episode';
import { ONBOARD_STEPS } from '../../orchestrators/onboard-tenant';
import { REVERIFY_STEPS } from '../../orchestrators/reverify-tenant';
import { StepTable, type StepDefinition } from '../../orchestrators/step-table';

const SERVERS = Array.from({ length: 200 }, (_, i) => `EXCHANGE-MAILBOX-${String(i + 1).padStart(3, '0')}.corp.contoso.com`);
const TENANT = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;

/** A context that keeps what the orchestrator last set as its custom status, as JSON. */
function recordingContext(): { context: OrchestrationContext; last: () => string } {
    let status = 'null';
    const df = { currentUtcDateTime: new Date(Date.UTC(2026, 0, 5, 9)), setCustomStatus: (value: unknown) => (status = JSON.stringify(value)) };
    return { context: { df } as unknown as OrchestrationContext, last: () => status };
}

/** Every step of an organization of 200 servers with a per-server detail, then the run fails with a per-server error. */
function worstRun(steps: readonly StepDefinition[]): string {
    const { context, last } = recordingContext();
    const table = new StepTable(context, 'onboardTenant', TENANT, steps);
    for (const step of steps) {
        table.start(step.id, `installing on ${SERVERS.join(', ')}`);
        table.succeed(step.id, SERVERS.map((server) => `${server}: imported`).join(', '));
    }
    table.failRun({
        step: steps[0]?.id ?? 'run',
        code: 'install_failed',
        message: SERVERS.map((server) => `${server}: the certificate store refused the import (0x80090016, keyset does not exist)`).join('; '),
        remedy: `Check that the agent's account can manage certificates on ${SERVERS.join(', ')}, then start the run again.`,
    });
    return last();
}

describe('custom status of a run at its worst case: an organization of 200 servers', () => {
    it.each([
        ['onboardTenant', ONBOARD_STEPS],
        ['reverifyTenant', REVERIFY_STEPS],
    ])('keeps the %s step table within the 16 KB the extension allows (MessagePayloadDataConverter.cs)', (_name, steps) => {
        // Act
        const status = worstRun(steps);

        // Assess
        expect(customStatusSizeError(status)).toBeUndefined();
        expect(status.length * 2).toBeLessThan(14 * 1024); // headroom below the limit
        expect(status).toContain("more characters in the run's output");
    });

    it('would have been refused without the bounds (the texts above are the real worst case)', () => {
        // Act
        const unbounded = JSON.stringify({ steps: ONBOARD_STEPS.map((step) => ({ ...step, detail: SERVERS.map((server) => `${server}: imported`).join(', ') })) });

        // Assess
        expect(customStatusSizeError(unbounded)).toMatch(/must not exceed 16 KB/);
    });
});
