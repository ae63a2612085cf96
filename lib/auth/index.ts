export { ANY_SIGNED_IN, APP_ROLES, APP_ROLE_DESCRIPTIONS, appRolesOf, holdsRole, meetsRequirement, type AppRole, type RoleRequirement } from './app-roles';
export { CLAIM_TYPES, claimValues, decodeClientPrincipal, encodeClientPrincipal, PRINCIPAL_HEADERS, type ClientPrincipal, type ClientPrincipalClaim } from './client-principal';
export { authorize, callerFromHeaders, platformAuthenticationOn, requestedByOf, SCHEDULE_REQUESTER, type Authorization, type Caller, type HeaderSource, type RequestedBy } from './caller';
