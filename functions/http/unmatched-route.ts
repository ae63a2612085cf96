import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { allRoutes } from './api-routes';
import { errorResponse } from './responses';

const ROUTE_PREFIX = '/api';
const OPENAPI_PATH = '/api/openapi.json';
/** Enough of a path to recognise it; an answer never echoes a whole oversized URL. */
const MAX_ECHOED_PATH = 200;

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The routes' templates use only literal segments, `{name}` and a trailing `{*name}`, which may be empty. */
function templateMatcher(template: string): RegExp {
    const pattern = template
        .split('/')
        .map((segment) => (segment.startsWith('{*') ? '(?:/.*)?' : segment.startsWith('{') ? '/[^/]+' : `/${escapeRegex(segment)}`))
        .join('');
    return new RegExp(`^${pattern}/?$`, 'i');
}

/** The methods the API's routes take at `path` (below /api); empty when no route has that path. */
function methodsAt(path: string): string[] {
    return [...new Set(allRoutes().filter((route) => templateMatcher(route.route).test(path)).map((route) => route.method))].sort();
}

/** 405 with Allow for a known path and another method; otherwise 404. Both name the path and point to the OpenAPI document. */
function unmatchedAnswer(request: HttpRequest): HttpResponseInit {
    const pathname = new URL(request.url).pathname;
    const shown = pathname.length > MAX_ECHOED_PATH ? `${pathname.slice(0, MAX_ECHOED_PATH)}…` : pathname;
    const allowed = methodsAt(pathname.slice(ROUTE_PREFIX.length));
    if (allowed.length > 0) {
        const response = errorResponse(405, 'method_not_allowed', `${shown} does not take ${request.method}; it takes ${allowed.join(', ')}.`, {
            path: shown,
            allowed,
            remedy: `See ${OPENAPI_PATH} for each route and its methods.`,
        });
        return { ...response, headers: { ...(response.headers as Record<string, string>), allow: allowed.join(', ') } };
    }
    return errorResponse(404, 'route_not_found', `No route of the API answers ${shown}.`, { path: shown, remedy: `See ${OPENAPI_PATH} for the API's routes.` });
}

export function answerUnmatched(request: HttpRequest): Promise<HttpResponseInit> {
    return Promise.resolve(unmatchedAnswer(request));
}
