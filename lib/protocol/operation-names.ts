/** The allowlist: the only operations the agent runs. Nothing else reaches Exchange. */
export const OPERATION_NAMES = [
    'inventory',
    'installCertificate',
    'setAuthConfig',
    'ensureAuthServer',
    'enablePushProxy',
    'restartHealthManager',
    'restartAuthServices',
    'invokeProbe',
] as const;

export type OperationName = (typeof OPERATION_NAMES)[number];

const OPERATION_NAME_SET: ReadonlySet<string> = new Set(OPERATION_NAMES);

export function isOperationName(value: string): value is OperationName {
    return OPERATION_NAME_SET.has(value);
}

/** The request path of an operation below the hybrid connection. */
export function operationPath(operation: OperationName): string {
    return `/ops/${operation}`;
}
