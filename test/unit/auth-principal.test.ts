import { describe, expect, it } from 'vitest';
import { ANY_SIGNED_IN, authorize, callerFromHeaders, encodeClientPrincipal, holdsRole, PRINCIPAL_HEADERS } from '../../lib/auth';

function headersOf(values: Record<string, string>): { get(name: string): string | null } {
    const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
    return { get: (name) => lower.get(name.toLowerCase()) ?? null };
}

function principal(roles: readonly string[]): string {
    return encodeClientPrincipal({
        auth_typ: 'aad',
        name_typ: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name',
        role_typ: 'roles',
        claims: [{ typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-1' }, { typ: 'upn', val: 'ops@contoso.com' }, ...roles.map((val) => ({ typ: 'roles', val }))],
    });
}

describe('the App Service client principal', () => {
    it.each([
        { held: ['PushProxy.Administrator'], required: 'PushProxy.Reader', holds: true },
        { held: ['PushProxy.Operator'], required: 'PushProxy.Operator', holds: true },
        { held: ['PushProxy.Operator'], required: 'PushProxy.Administrator', holds: false },
        { held: ['PushProxy.Reader', 'Other.Role'], required: 'PushProxy.Operator', holds: false },
        { held: [], required: 'PushProxy.Reader', holds: false },
    ] as const)('$held holds $required: $holds', ({ held, required, holds }) => {
        expect(holdsRole(held, required)).toBe(holds);
    });

    it('reads id, name and roles from the headers App Service sets', () => {
        // Act
        const caller = callerFromHeaders(headersOf({ [PRINCIPAL_HEADERS.principal]: principal(['PushProxy.Operator']), 'X-MS-CLIENT-PRINCIPAL-NAME': 'ops@contoso.com' }));

        // Assess
        expect(caller).toEqual({ id: 'oid-1', name: 'ops@contoso.com', roles: ['PushProxy.Operator'] });
    });

    it.each([
        ['no header', {}],
        ['a header that is not base64 JSON', { [PRINCIPAL_HEADERS.principal]: '%%%' }],
        ['JSON without claims', { [PRINCIPAL_HEADERS.principal]: Buffer.from('{"auth_typ":"aad"}').toString('base64') }],
    ])('believes nobody with %s', (_name, headers) => {
        expect(callerFromHeaders(headersOf(headers))).toBeUndefined();
    });

    it.each([
        { name: 'an operator on an operator route', roles: ['PushProxy.Operator'], platformOn: true, expected: { ok: true } },
        { name: 'a reader on an operator route', roles: ['PushProxy.Reader'], platformOn: true, expected: { ok: false, status: 403, requiredRole: 'PushProxy.Operator' } },
        { name: 'an administrator when App Service authentication is off (nothing strips forged headers)', roles: ['PushProxy.Administrator'], platformOn: false, expected: { ok: false, status: 401 } },
    ])('decides $name', ({ roles, platformOn, expected }) => {
        // Act
        const decision = authorize(headersOf({ [PRINCIPAL_HEADERS.principal]: principal(roles) }), 'PushProxy.Operator', platformOn);

        // Assess
        expect(decision).toMatchObject(expected);
    });

    it.each([
        { name: 'a caller without any app role', headers: headersOf({ [PRINCIPAL_HEADERS.principal]: principal([]) }), expected: { ok: true, caller: { id: 'oid-1', roles: [] } } },
        { name: 'nobody', headers: headersOf({}), expected: { ok: false, status: 401, message: 'sign in with Microsoft Entra ID: this route requires a signed-in caller' } },
    ])('lets $name use a route any signed-in caller may use, or not', ({ headers, expected }) => {
        // Act
        const decision = authorize(headers, ANY_SIGNED_IN);

        // Assess
        expect(decision).toMatchObject(expected);
    });
});
