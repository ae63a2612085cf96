/**
 * The product never terminates or purges an orchestration instance. Durable Functions releases an
 * entity's lock only once the holder's orchestrator function returns (azure-functions-durable-extension
 * src/WebJobs.Extensions.DurableTask/Listener/TaskOrchestrationShim.cs `Execute`: ReleaseLocks after
 * the user code), so a run terminated or purged inside the key writer's critical section would leave
 * that key target's writer locked, and every later run for it waiting, until an operator releases it
 * (README, "Limits and troubleshooting"). Orchestrators hold no durable client; their own rules apply.
 * Shared by eslint.config.mjs and the test that proves the rule bites.
 */
export const INSTANCE_MANAGING_FOLDERS = ['functions', 'activities', 'lib', 'cli'];

export const noInstanceEndingSyntax = [
    {
        selector: 'CallExpression > MemberExpression.callee[property.name=/^(terminate|purgeInstanceHistory|purgeInstanceHistoryBy)$/]',
        message:
            'The product never terminates or purges an orchestration: one inside the key writer\'s critical section would keep the writer locked forever on Azure (README, "Limits and troubleshooting").',
    },
];

export const durableClientRules = {
    'no-restricted-syntax': ['error', ...noInstanceEndingSyntax],
};
