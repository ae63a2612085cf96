/**
 * The link a customer's administrator opens once to grant the provider's multi-tenant application
 * its application permissions in that directory: "{authority}/{tenant}/adminconsent?client_id=..."
 * ("Grant tenant-wide admin consent to an application", https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent,
 * "Construct the URL for granting tenant-wide admin consent"). It creates the application's service
 * principal in that directory and grants the permissions the application requires.
 */
export function adminConsentUrl(loginAuthority: string, tenantId: string, appClientId: string): string {
    return `${loginAuthority}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(appClientId)}`;
}
