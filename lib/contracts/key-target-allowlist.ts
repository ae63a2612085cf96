import type { KeyTarget } from './clouds';

/** The setting that lists the applications an administrator allows as key targets. */
export const KEY_TARGET_ALLOWLIST_SETTING = 'PPO_KEY_TARGET_APP_IDS';

export interface KeyTargetRefusal {
    readonly field: string;
    readonly reason: string;
    readonly remedy: string;
}

/**
 * Whether the product may write keys to this target (issue 15, finding 1). The Exchange Online
 * first-party service principal is the article's target and always allowed; an application only
 * when an administrator listed its appId in PPO_KEY_TARGET_APP_IDS: with Application.ReadWrite.All
 * any other application of the directory could otherwise be given a key whose private half the
 * product's operators and Exchange administrators hold.
 */
export function keyTargetRefusal(keyTarget: KeyTarget, allowedAppIds: readonly string[]): KeyTargetRefusal | null {
    if (keyTarget.kind === 'firstPartyServicePrincipal') return null;
    if (allowedAppIds.includes(keyTarget.appId.toLowerCase())) return null;
    return {
        field: 'body.keyTarget.appId',
        reason: `application ${keyTarget.appId} is not an allowed key target: it is not listed in ${KEY_TARGET_ALLOWLIST_SETTING}`,
        remedy: `An administrator adds the application id to the ${KEY_TARGET_ALLOWLIST_SETTING} app setting (infra parameter keyTargetAppIds) when that application is the dedicated Exchange hybrid application.`,
    };
}
