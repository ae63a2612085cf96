/**
 * The local Azure Functions host (Node.js v4 programming model) that runs the app for development,
 * the demo, the benchmarks and the tests. Typical use:
 *
 *   const host = await startLocalHost({ entry: '/abs/path/dist/functions/index.js', port: 0, clock: new VirtualClock() });
 *   await fetch(`${host.baseUrl}/api/...`);   // HTTP triggers, with `x-functions-key: host.functionKey` where required
 *   await host.whenIdle();                    // orchestrations, activities and (virtual) timers have run
 *   host.store.get(instanceId);               // status, inputs, outputs and the full history
 *   await host.stop();
 */
export { startLocalHost } from './local-host';
export type { FunctionSummary, LocalHost, LocalHostOptions, OrchestratorReplay } from './local-host-types';
export { InMemoryDurableStore, isTerminal, type DurableStore, type InstanceRecord, type ParentLink } from './durable/store';
export { EventType, eventTypeName, type HistoryEvent, type RuntimeStatus } from './durable/history-events';
export { LocalHostError } from './errors';
export { appServiceAuthentication, SESSION_COOKIE, type AppServiceAuthentication, type AppServiceAuthOptions, type BearerValidation, type SignInUser } from './http/app-service-auth';
