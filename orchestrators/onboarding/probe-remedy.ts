/** What an administrator should check for the probe's common failures. */
const REMEDIES: readonly { readonly pattern: RegExp; readonly remedy: string }[] = [
    { pattern: /push ?notification.*(disabled|not enabled)|proxy.*(disabled|not enabled)/i, remedy: 'Run Enable-PushNotificationProxy -Organization <tenant domain> (or start onboarding again), then restart MSExchangeHM.' },
    { pattern: /MSExchangeHM|health manager|settle/i, remedy: 'Restart MSExchangeHM on the probed server and wait at least 120 s before probing again.' },
    { pattern: /certificate|private key|thumbprint/i, remedy: 'Check Get-AuthConfig: the current certificate must be on every server with its private key (Get-ExchangeCertificate -Thumbprint <thumbprint> -Server <server>).' },
    { pattern: /AuthServer|metadata|realm/i, remedy: 'Check Get-AuthServer MicrosoftSts: AuthMetadataUrl must end with ?realm=<tenant domain>.' },
    { pattern: /key credential|401|unauthori[sz]ed|token/i, remedy: 'The tenant does not trust the certificate yet: check the key credentials of the key target in Entra ID, and allow up to an hour for replication.' },
];

export function probeRemedy(error: string | null): string {
    const match = REMEDIES.find((r) => error !== null && r.pattern.test(error));
    return match?.remedy ?? 'Run Invoke-MonitoringProbe PushNotifications.Proxy\\PushNotificationsEnterpriseConnectivityProbe on the server and read its Error and Exception; see Troubleshooting in the README.';
}
