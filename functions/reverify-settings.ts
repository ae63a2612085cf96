import type { Settings } from '../lib/config';
import type { ReverifySettings } from '../lib/contracts/reverify';

/** How runs of re-verification behave, from the app settings; the article's 120 s settle. */
export function reverifySettings(settings: Settings): ReverifySettings {
    return {
        renewalWindowDays: settings.PPO_RENEWAL_WINDOW_DAYS,
        stageHours: settings.PPO_ROTATION_STAGE_HOURS,
        settleSeconds: 120,
        probeAttempts: 2,
        keyTargetAppIds: settings.PPO_KEY_TARGET_APP_IDS,
    };
}
