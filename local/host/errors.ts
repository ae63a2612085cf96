import { PushProxyError } from '../../lib/errors';

/** A failure of the local Functions host itself (loading the app, a bad registration, a bad request to it). */
export class LocalHostError extends PushProxyError {
    constructor(code: string, message: string, options: { cause?: unknown; remedy?: string } = {}) {
        super(`local-host.${code}`, message, { ...options, transient: false });
    }
}
