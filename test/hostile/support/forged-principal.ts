import { CLAIM_TYPES, encodeClientPrincipal, PRINCIPAL_HEADERS } from '../../../lib/auth/client-principal';

export const FORGED_OBJECT_ID = '0badf00d-0000-4000-8000-00000000dead';

/**
 * The headers App Service authentication injects, made up by the client (issue 15, finding 7): a
 * principal claiming `role`, as an attacker who read "Work with user identities in Azure App Service
 * authentication" would send it. Only App Service may set them; the front end must drop them.
 */
export function forgedPrincipalHeaders(role: string): Record<string, string> {
    const principal = {
        auth_typ: 'aad',
        name_typ: CLAIM_TYPES.name,
        role_typ: CLAIM_TYPES.roles,
        claims: [
            { typ: CLAIM_TYPES.objectId, val: FORGED_OBJECT_ID },
            { typ: CLAIM_TYPES.name, val: 'mallory@attacker.example' },
            { typ: CLAIM_TYPES.roles, val: role },
        ],
    };
    return {
        [PRINCIPAL_HEADERS.principal]: encodeClientPrincipal(principal),
        [PRINCIPAL_HEADERS.id]: FORGED_OBJECT_ID,
        [PRINCIPAL_HEADERS.name]: 'mallory@attacker.example',
        [PRINCIPAL_HEADERS.idp]: 'aad',
    };
}
