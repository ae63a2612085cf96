import { GraphError } from '@microsoft/microsoft-graph-client';
import { PermanentError } from '../errors';
import { redactText } from '../redact';
import { isCredentialError } from './credential-errors';

/**
 * The customer's administrator has not consented to the provider's multi-tenant application in
 * that directory. Carries the admin-consent link (admin-consent.ts) for the caller to hand on.
 */
export class ConsentRequiredError extends PermanentError {
    constructor(
        readonly tenantId: string,
        readonly consentUrl: string,
        detail: string,
        options: { cause?: unknown } = {},
    ) {
        super('consent_required', `The administrator of directory ${tenantId} has not granted this application its permissions: ${detail}. Nothing was changed.`, {
            ...options,
            remedy: `A Global Administrator (or Privileged Role Administrator) of that directory opens ${consentUrl} once and accepts; then start again.`,
        });
    }
}

/**
 * What Entra ID and Graph answer when consent is missing, from the error code reference
 * (https://learn.microsoft.com/entra/identity-platform/reference-error-codes):
 * - AADSTS700016 UnauthorizedClient_DoesNotMatchRequest: "the application wasn't found in the
 *   directory... if the application has not been installed by the administrator of the tenant or
 *   consented to by any user in the tenant": the client-credentials answer when the multi-tenant
 *   application has no service principal in that directory.
 * - AADSTS65001 DelegationDoesNotExist (consent_required): "the user or administrator has not
 *   consented to use the application".
 * - Graph 403 Authorization_RequestDenied: the service principal exists but was granted none of the
 *   application permissions, so the token carries no roles (https://learn.microsoft.com/graph/errors).
 */
export function consentFailure(error: unknown, tenantId: string, consentUrl: string): ConsentRequiredError | undefined {
    // The Graph client turns a credential's failure into a GraphError without status (code: the error's name).
    const tokenFailure = isCredentialError(error) || (error instanceof GraphError && error.statusCode <= 0);
    if (tokenFailure) {
        const code = /AADSTS(700016|65001)\b/.exec(error.message)?.[0];
        if (code === undefined) return undefined;
        return new ConsentRequiredError(tenantId, consentUrl, `Entra ID refused a token (${code})`, { cause: new Error(redactText(error.message.split('\n')[0] ?? '')) });
    }
    if (error instanceof GraphError && error.statusCode === 403) {
        return new ConsentRequiredError(tenantId, consentUrl, 'Microsoft Graph refused the request (403): no application permission was granted');
    }
    return undefined;
}
