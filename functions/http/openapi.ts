import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import { API_ROUTES } from './api-routes';
import { openApiDocument } from './openapi-document';
import { json } from './responses';

export function serveOpenApi(request: HttpRequest): Promise<HttpResponseInit> {
    return Promise.resolve(json(200, openApiDocument(new URL('/', request.url).toString().replace(/\/$/, ''))));
}

const route = API_ROUTES.openApi;
app.http(route.name, { route: route.route, methods: [route.method], authLevel: route.authLevel, handler: serveOpenApi });
