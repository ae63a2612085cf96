import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import type { RoleRequirement } from '../../lib/auth/app-roles';
import { authorize, platformAuthenticationOn, type Caller } from '../../lib/auth/caller';
import { errorResponse } from './responses';

/** A route's handler, told who is calling once the route wrapper has checked the caller's role. */
export type AuthorizedHandler = (request: HttpRequest, client: DurableClient, context: InvocationContext, caller: Caller) => Promise<HttpResponseInit>;

/**
 * The one place the API checks who may call a route: the caller App Service authentication vouches
 * for (lib/auth) must hold `requiredRole`; otherwise 401 (nobody signed in) or 403 naming the role,
 * as JSON, before the handler runs. App Service with `unauthenticatedClientAction: Return401`
 * already refuses callers without a token; this check holds even where it is configured otherwise.
 */
export function authorized(requiredRole: RoleRequirement, handler: AuthorizedHandler): (request: HttpRequest, client: DurableClient, context: InvocationContext) => Promise<HttpResponseInit> {
    return async (request, client, context) => {
        const decision = authorize(request.headers, requiredRole, platformAuthenticationOn(process.env));
        if (!decision.ok) {
            context.warn(`refused ${request.method} ${new URL(request.url).pathname}: ${decision.code}`, { requiredRole });
            return errorResponse(decision.status, decision.code, decision.message, {
                requiredRole,
                remedy:
                    decision.status === 401
                        ? 'Sign in (ppo: --auth cli|device-code|browser) and send the token as Authorization: Bearer.'
                        : `Ask an administrator of the tenant to assign you the app role ${requiredRole} (Entra admin center, Enterprise applications, the API's application, Users and groups).`,
            });
        }
        return handler(request, client, context, decision.caller);
    };
}
