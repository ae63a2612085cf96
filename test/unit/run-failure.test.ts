import { describe, expect, it } from 'vitest';
import { RunFailure, StepFailure, toRunError } from '../../orchestrators/run-failure';

const DURABLE_FAILURE = new Error(
    "Activity function 'graphGetKeyTarget' failed: Microsoft Graph could not find the key target for now (HTTP 429). \n {\"Message\":\"Microsoft Graph could not find the key target for now (HTTP 429).\",\"StackTrace\":\"TransientError: ...\\n    at mapGraphError (/srv/lib/graph/graph-errors.ts:60:16)\"}",
);

describe('the error a failed run reports', () => {
    it.each<[string, unknown, string, Record<string, string>]>([
        ['retries that ran out, without the stack trace durable-functions appends', DURABLE_FAILURE, 'inventory', {
            step: 'inventory',
            code: 'retries_exhausted',
            message: "Activity function 'graphGetKeyTarget' failed: Microsoft Graph could not find the key target for now (HTTP 429).",
        }],
        ['a failure of a task run in parallel, against its own step', new StepFailure('keyTarget', DURABLE_FAILURE), 'inventory', { step: 'keyTarget', code: 'retries_exhausted' }],
        ['a permanent failure, as the activity described it', new StepFailure('keyTarget', new RunFailure({ step: 'keyTarget', code: 'graph-forbidden', message: 'refused', remedy: 'grant' })), 'inventory', {
            step: 'keyTarget',
            code: 'graph-forbidden',
            message: 'refused',
            remedy: 'grant',
        }],
    ])('names %s', (_name, error, runningStep, expected) => {
        // Act
        const reported = toRunError(error, runningStep);

        // Assess
        expect(reported).toMatchObject(expected);
        expect(reported.message).not.toMatch(/StackTrace|\n/);
    });
});
