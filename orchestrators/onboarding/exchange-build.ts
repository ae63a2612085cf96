/** Exchange 2013 CU3, the first build that supports the push notification proxy. */
export const MINIMUM_BUILD = '15.0.775.38';

/** Parses "Version 15.0 (Build 775.38)" or "15.0.775.38" into four numbers; null when unreadable. */
export function parseExchangeBuild(text: string): readonly [number, number, number, number] | null {
    const display = /^Version (\d+)\.(\d+) \(Build (\d+)\.(\d+)\)$/.exec(text.trim());
    const dotted = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
    const match = display ?? dotted;
    if (!match) return null;
    return [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4])];
}

export function isAtLeastMinimumBuild(build: string): boolean {
    const actual = parseExchangeBuild(build);
    const minimum = parseExchangeBuild(MINIMUM_BUILD);
    if (!actual || !minimum) return false;
    for (let i = 0; i < 4; i++) {
        const a = actual[i] ?? 0;
        const m = minimum[i] ?? 0;
        if (a !== m) return a > m;
    }
    return true;
}
