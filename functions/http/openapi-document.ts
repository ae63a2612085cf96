import { z } from 'zod';
import { allRoutes, type ApiRoute } from './api-routes';
import { API_SCHEMAS, type ApiSchemaName } from './api-schemas';

function jsonSchema(name: ApiSchemaName, io: 'input' | 'output'): Record<string, unknown> {
    const { $schema: _drop, ...rest } = z.toJSONSchema(API_SCHEMAS[name], { io, unrepresentable: 'any' }) as Record<string, unknown>;
    return rest;
}

function operation(route: ApiRoute): Record<string, unknown> {
    const parameters = Object.entries(route.pathParameters).map(([name, description]) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } }));
    return {
        operationId: route.name,
        summary: route.summary,
        ...(route.requiredRole === null ? { security: [] } : { 'x-required-role': route.requiredRole }),
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(route.requestBody ? { requestBody: { required: false, content: { 'application/json': { schema: jsonSchema(route.requestBody, 'input') } } } } : {}),
        responses: Object.fromEntries(
            Object.entries(route.responses).map(([status, r]) => [
                status,
                { description: r.description, ...(r.schema ? { content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } } : {}) },
            ]),
        ),
    };
}

/** The OpenAPI 3.1 document, generated from the route table and the zod schemas that validate requests. */
export function openApiDocument(serverUrl: string): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const route of allRoutes()) {
        // A catch-all `{*path}` is an ordinary path parameter in OpenAPI (it has no catch-all syntax).
        const path = `/api/${route.route.replace('{*', '{')}`;
        paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation(route) };
    }
    return {
        openapi: '3.1.0',
        info: {
            title: 'push-proxy-orchestrator',
            version: '1',
            description:
                'Onboards on-premises Exchange organizations to the Office 365 push notification proxy and keeps the OAuth trust behind it healthy. ' +
                'A path below /api that no operation here has answers 404 (`route_not_found`), and a path here with a method it does not list answers 405 (`method_not_allowed`, with `Allow`), each with the error body.',
        },
        servers: [{ url: serverUrl }],
        components: {
            securitySchemes: {
                entraId: {
                    type: 'http',
                    scheme: 'bearer',
                    bearerFormat: 'JWT',
                    description:
                        "A Microsoft Entra ID access token for the API's application ID URI (scope `<URI>/.default`), validated by App Service authentication. Each operation's `x-required-role` names the app role it needs: PushProxy.Reader, PushProxy.Operator or PushProxy.Administrator (each includes the ones before it).",
                },
            },
        },
        security: [{ entraId: [] }],
        paths,
    };
}
