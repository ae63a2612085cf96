export { APP_ROLES, APP_ROLE_DESCRIPTIONS, holdsRole, type AppRole } from './app-roles';
export { CLAIM_TYPES, claimValues, decodeClientPrincipal, encodeClientPrincipal, PRINCIPAL_HEADERS, type ClientPrincipal, type ClientPrincipalClaim } from './client-principal';
export { authorize, callerFromHeaders, requestedByOf, SCHEDULE_REQUESTER, type Authorization, type Caller, type HeaderSource, type RequestedBy } from './caller';
