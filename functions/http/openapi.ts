import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { openApiDocument } from './openapi-document';
import { json } from './responses';

export function serveOpenApi(request: HttpRequest): Promise<HttpResponseInit> {
    return Promise.resolve(json(200, openApiDocument(new URL('/', request.url).toString().replace(/\/$/, ''))));
}
