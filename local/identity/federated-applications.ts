import { randomUUID } from 'node:crypto';

/** A federated identity credential on an application (Graph federatedIdentityCredential: issuer, subject, audiences). */
export interface FederatedCredential {
    readonly issuer: string;
    readonly subject: string;
    readonly audiences: readonly string[];
}

/** A multi-tenant application registered in the provider's directory, whose only credential is federated. */
export interface MultiTenantApplication {
    readonly homeTenantId: string;
    readonly clientId: string;
    readonly federatedCredentials: readonly FederatedCredential[];
}

/** The application's service principal in one directory: created by that directory's admin consent, holding the roles granted. */
export interface ServicePrincipalGrant {
    readonly tenantId: string;
    readonly objectId: string;
    roles: readonly string[];
}

/** The directories the local Entra ID knows, their verified domains, and which multi-tenant applications each consented to. */
export class LocalDirectories {
    private readonly domains = new Map<string, string>();
    private readonly applications = new Map<string, MultiTenantApplication>();
    /** clientId -> tenantId -> service principal. */
    private readonly grants = new Map<string, Map<string, ServicePrincipalGrant>>();

    addDirectory(tenantId: string, domains: readonly string[]): void {
        for (const domain of domains) this.domains.set(domain.toLowerCase(), tenantId.toLowerCase());
    }

    /** The directory a path segment names: a tenant id as it is, a verified domain through its directory; undefined when unknown. */
    resolve(segment: string): string | undefined {
        if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment)) return segment.toLowerCase();
        return this.domains.get(segment.toLowerCase());
    }

    registerApplication(homeTenantId: string, federatedCredentials: readonly FederatedCredential[]): MultiTenantApplication {
        const application: MultiTenantApplication = { homeTenantId, clientId: randomUUID(), federatedCredentials };
        this.applications.set(application.clientId, application);
        this.grants.set(application.clientId, new Map());
        return application;
    }

    application(clientId: string): MultiTenantApplication | undefined {
        return this.applications.get(clientId.toLowerCase());
    }

    /** What the administrator's consent does: the application's service principal in that directory, with the roles granted. */
    consent(clientId: string, tenantId: string, roles: readonly string[]): ServicePrincipalGrant {
        const grants = this.grants.get(clientId);
        if (grants === undefined) throw new Error(`no multi-tenant application ${clientId}`);
        const grant: ServicePrincipalGrant = { tenantId: tenantId.toLowerCase(), objectId: randomUUID(), roles: [...roles] };
        grants.set(grant.tenantId, grant);
        return grant;
    }

    revokeConsent(clientId: string, tenantId: string): void {
        this.grants.get(clientId)?.delete(tenantId.toLowerCase());
    }

    servicePrincipal(clientId: string, tenantId: string): ServicePrincipalGrant | undefined {
        return this.grants.get(clientId.toLowerCase())?.get(tenantId.toLowerCase());
    }
}
