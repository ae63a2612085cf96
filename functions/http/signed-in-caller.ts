import type { HttpResponseInit } from '@azure/functions';
import type { z } from 'zod';
import { appRolesOf } from '../../lib/auth/app-roles';
import type { Caller } from '../../lib/auth/caller';
import type { signedInCallerSchema } from './api-schemas';
import type { AuthorizedHandler } from './authorized';
import { json } from './responses';

/** GET /api/me: the caller the route wrapper read from X-MS-CLIENT-PRINCIPAL, never from a token store. */
export const getSignedInCaller: AuthorizedHandler = (_request, _client, _context, caller: Caller): Promise<HttpResponseInit> => {
    const body: z.output<typeof signedInCallerSchema> = { name: caller.name, roles: appRolesOf(caller.roles) };
    // Personal: no shared cache may keep it, and the browser asks again after a sign-in or sign-out.
    return Promise.resolve(json(200, body, { 'cache-control': 'no-store' }));
};
