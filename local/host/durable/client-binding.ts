export const TASK_HUB_NAME = 'TestHubName';
const CONNECTION_NAME = 'Storage';
export const INSTANCE_ID_PLACEHOLDER = 'INSTANCEID';
export const WEBHOOK_PATH = '/runtime/webhooks/durabletask';
export const RPC_PATH = '/durabletask/';

/** The `durableClient` binding data the Durable extension gives a client function (OrchestrationClientInputData). */
export interface DurableClientBindingData {
    readonly taskHubName: string;
    readonly creationUrls: Record<string, string>;
    readonly managementUrls: Record<string, string>;
    readonly baseUrl: string;
    readonly requiredQueryStringParameters: string;
    readonly rpcBaseUrl: string;
    readonly httpBaseUrl: string;
}

/**
 * The management URLs an instance exposes, as HttpApiHandler.GetClientResponseLinks builds them:
 * webhook paths on the host's origin, with taskHub, connection and the system key.
 */
export function managementUrls(origin: string, instanceId: string, systemKey: string): Record<string, string> {
    const query = `taskHub=${encodeURIComponent(TASK_HUB_NAME)}&connection=${CONNECTION_NAME}&code=${encodeURIComponent(systemKey)}`;
    const instance = `${origin}${WEBHOOK_PATH}/instances/${instanceId === INSTANCE_ID_PLACEHOLDER ? instanceId : encodeURIComponent(instanceId)}`;
    return {
        id: instanceId,
        statusQueryGetUri: `${instance}?${query}`,
        sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
        terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
        rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
        purgeHistoryDeleteUri: `${instance}?${query}`,
        restartPostUri: `${instance}/restart?${query}`,
        suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
        resumePostUri: `${instance}/resume?reason={text}&${query}`,
    };
}

export function durableClientBindingData(origin: string, systemKey: string): DurableClientBindingData {
    const baseUrl = `${origin}${WEBHOOK_PATH}`;
    const code = `code=${encodeURIComponent(systemKey)}`;
    return {
        taskHubName: TASK_HUB_NAME,
        creationUrls: {
            createNewInstancePostUri: `${baseUrl}/orchestrators/{functionName}[/{instanceId}]?${code}`,
            createAndWaitOnNewInstancePostUri: `${baseUrl}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${code}`,
        },
        managementUrls: managementUrls(origin, INSTANCE_ID_PLACEHOLDER, systemKey),
        baseUrl,
        requiredQueryStringParameters: code,
        rpcBaseUrl: `${origin}${RPC_PATH}`,
        httpBaseUrl: baseUrl,
    };
}
