/**
 * The app roles of the API's app registration (its `appRoles`, values as tokens carry them in the
 * `roles` claim). A higher role includes the lower ones: an administrator may do what an operator
 * may, an operator what a reader may.
 */
export const APP_ROLES = ['PushProxy.Reader', 'PushProxy.Operator', 'PushProxy.Administrator'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** What each role is for: the app registration's role descriptions (scripts/) and the README's permissions table say the same. */
export const APP_ROLE_DESCRIPTIONS: Readonly<Record<AppRole, string>> = {
    'PushProxy.Reader': 'Read tenants, runs and their step tables.',
    'PushProxy.Operator': 'Reader, and start onboardings, dry runs and re-verifications.',
    'PushProxy.Administrator': 'Operator, and change bindings: re-bind a tenant to another organization, change its key target.',
};

function rank(role: string): number {
    return APP_ROLES.indexOf(role as AppRole);
}

/** True when one of `held` is `required` or a role above it. Role values other than the three are ignored. */
export function holdsRole(held: readonly string[], required: AppRole): boolean {
    const needed = rank(required);
    return held.some((role) => rank(role) >= needed);
}

/** The app roles among `held`, in the table's order: what the API makes of a caller's `roles` claim. */
export function appRolesOf(held: readonly string[]): AppRole[] {
    return APP_ROLES.filter((role) => held.includes(role));
}

/**
 * What a route asks of its caller: an app role, or only to be signed in (any principal App Service
 * authenticated, with or without a role: GET /api/me, which tells the caller what they hold).
 */
export const ANY_SIGNED_IN = 'AnySignedIn';
export type RoleRequirement = AppRole | typeof ANY_SIGNED_IN;

export function meetsRequirement(held: readonly string[], required: RoleRequirement): boolean {
    return required === ANY_SIGNED_IN || holdsRole(held, required);
}
