import { isOperationName, type OperationName } from '../../lib/protocol';

const OPERATION_PATH = /^\/ops\/([A-Za-z]{1,64})$/;

/**
 * The operation a path names, or undefined. Only the exact form "/ops/<name>" with a name from the
 * allowlist matches: no query, no trailing slash, no encoding, no dot segments, no other case.
 */
export function operationAtPath(path: string): OperationName | undefined {
    const match = OPERATION_PATH.exec(path);
    const name = match?.[1];
    return name !== undefined && isOperationName(name) ? name : undefined;
}
