/** An Exchange build, e.g. 15.0.775.38 (Exchange 2013 CU3). */
export interface ExchangeBuild {
    readonly major: number;
    readonly minor: number;
    readonly build: number;
    readonly revision: number;
    /** "15.0.775.38" */
    readonly text: string;
    /** One number that orders builds: major·10¹¹ + minor·10⁹ + build·10⁴ + revision. */
    readonly comparable: number;
}

/** Exchange 2013 Cumulative Update 3: the oldest build the push notification proxy supports. */
export const EXCHANGE_2013_CU3_BUILD = '15.0.775.38';

const ADMIN_DISPLAY_VERSION = /^Version (\d{1,2})\.(\d{1,2}) \(Build (\d{1,5})\.(\d{1,4})\)$/;
const DOTTED_BUILD = /^(\d{1,2})\.(\d{1,2})\.(\d{1,5})\.(\d{1,4})$/;

function toBuild(parts: readonly string[]): ExchangeBuild {
    const [major, minor, build, revision] = parts.map((part) => Number.parseInt(part, 10)) as [number, number, number, number];
    return {
        major,
        minor,
        build,
        revision,
        text: `${major}.${minor}.${build}.${revision}`,
        comparable: major * 1e11 + minor * 1e9 + build * 1e4 + revision,
    };
}

/** Parses Get-ExchangeServer's AdminDisplayVersion ("Version 15.0 (Build 775.38)"); null when it is not that shape. */
export function parseAdminDisplayVersion(adminDisplayVersion: string): ExchangeBuild | null {
    const match = ADMIN_DISPLAY_VERSION.exec(adminDisplayVersion.trim());
    return match ? toBuild(match.slice(1)) : null;
}

/** Parses a dotted build such as "15.0.775.38"; null when it is not that shape. */
export function parseDottedBuild(text: string): ExchangeBuild | null {
    const match = DOTTED_BUILD.exec(text.trim());
    return match ? toBuild(match.slice(1)) : null;
}

/** Negative, zero or positive, like a sort comparator. */
export function compareExchangeBuilds(left: ExchangeBuild, right: ExchangeBuild): number {
    return left.comparable - right.comparable;
}
