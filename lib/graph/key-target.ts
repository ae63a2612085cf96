import { EXCHANGE_ONLINE_APP_ID, type KeyTarget } from '../contracts/clouds';

export { EXCHANGE_ONLINE_APP_ID };

/** Where the certificate's public key goes: the article's service principal, or a dedicated hybrid application (lib/contracts). */
export type KeyTargetSpec = KeyTarget;

/** The key target found in the tenant. JSON-safe. */
export interface ResolvedKeyTarget {
    readonly kind: KeyTargetSpec['kind'];
    readonly collection: 'servicePrincipals' | 'applications';
    readonly objectId: string;
    readonly appId: string;
    readonly displayName: string;
}

export function collectionFor(spec: KeyTargetSpec): ResolvedKeyTarget['collection'] {
    return spec.kind === 'application' ? 'applications' : 'servicePrincipals';
}

export function appIdFor(spec: KeyTargetSpec): string {
    return spec.kind === 'application' ? spec.appId : EXCHANGE_ONLINE_APP_ID;
}

export function notFoundMessage(spec: { readonly kind: KeyTargetSpec['kind']; readonly appId?: string }): string {
    return spec.kind === 'application'
        ? `application not found: no app registration with appId ${spec.appId ?? '(none)'} in this tenant (is the dedicated Exchange hybrid application registered?)`
        : 'service principal not found: is Exchange Online licensed in this tenant?';
}
