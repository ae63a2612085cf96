/** Probabilities that each external call (or activity execution) fails: the knobs of a fault plan. */
export interface FaultRates {
    /** Per Microsoft Graph request. */
    readonly graph: number;
    /** Per Key Vault request. */
    readonly keyVault: number;
    /** Per relay send (one per agent call). */
    readonly relay: number;
    /** Per Exchange shell operation on the agent. */
    readonly shell: number;
    /** Per agent operation: the agent restarts after running it, before its reply leaves. */
    readonly agentRestart: number;
    /** Per activity execution: the host delivers it a second time. */
    readonly atLeastOnce: number;
}

/** Rates at which every run is expected to succeed: a retry policy gives up only after 5 to 8 failed attempts in a row. */
export const DEFAULT_RATES: FaultRates = { graph: 0.05, keyVault: 0.03, relay: 0.06, shell: 0.06, agentRestart: 0.03, atLeastOnce: 0.1 };

const NAMES = Object.keys(DEFAULT_RATES) as (keyof FaultRates)[];

/** "graph=0.1,relay=0.2": rates to change from the defaults (FAULT_RATES). */
export function parseRates(text: string | undefined, defaults: FaultRates = DEFAULT_RATES): FaultRates {
    const rates: Record<keyof FaultRates, number> = { ...defaults };
    for (const part of (text ?? '').split(',').filter((p) => p.trim() !== '')) {
        const [name = '', value = ''] = part.split('=').map((s) => s.trim());
        const rate = value === '' ? Number.NaN : Number(value);
        if (!NAMES.includes(name as keyof FaultRates) || !(rate >= 0 && rate <= 1)) throw new Error(`FAULT_RATES: "${part}" is not <${NAMES.join('|')}>=<0..1>`);
        rates[name as keyof FaultRates] = rate;
    }
    return rates;
}
