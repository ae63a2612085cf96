/**
 * The AuthServer comparisons every step makes (dry run, onboarding, report, repair), as Exchange makes them.
 *
 * The article's script decides whether to update the AuthServer with PowerShell's `-ne`, and PowerShell
 * compares strings case-insensitively unless told otherwise (about_Comparison_Operators: "By default,
 * string comparisons are case-insensitive"); the agent's Set-PushProxyAuthServer.ps1 does the same.
 * AuthServer names are Active Directory object names, which Get-AuthServer -Identity matches without
 * regard to case. An AuthServer set up by hand with `realm=Fabrikam.com` is therefore the same one.
 */
export function sameAuthMetadataUrl(actual: string | null | undefined, wanted: string): boolean {
    return typeof actual === 'string' && actual.toUpperCase() === wanted.toUpperCase();
}

/** The AuthServer of that name, matched as Exchange matches names: without regard to case. */
export function findAuthServer<T extends { readonly name: string }>(authServers: readonly T[] | undefined, name: string): T | undefined {
    return authServers?.find((server) => server.name.toUpperCase() === name.toUpperCase());
}

/**
 * Whether the push notification app's Uri is the one wanted (Enable-PushNotificationProxy -Uri, whose
 * default is the worldwide https://outlook.office365.com/PushNotifications: the cmdlet reference,
 * learn.microsoft.com/powershell/module/exchangepowershell/enable-pushnotificationproxy). URI scheme and
 * host are case-insensitive (RFC 3986, 6.2.2.1); the path is compared the same way, as Exchange's
 * PowerShell comparisons are. The app reports it as Uri (the article's Enable-PushNotificationProxy output).
 * An app that reports no Uri is not the one wanted.
 */
export function samePushNotificationUri(actual: string | null | undefined, wanted: string): boolean {
    return typeof actual === 'string' && actual.toUpperCase() === wanted.toUpperCase();
}
