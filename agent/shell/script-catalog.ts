import type { OperationName } from '../../lib/protocol';

/** The script file that implements each operation; host.ps1 holds the same allowlist. */
export const OPERATION_SCRIPTS: Readonly<Record<OperationName, string>> = {
    inventory: 'Get-PushProxyInventory.ps1',
    installCertificate: 'Install-PushProxyCertificate.ps1',
    setAuthConfig: 'Set-PushProxyAuthConfig.ps1',
    ensureAuthServer: 'Set-PushProxyAuthServer.ps1',
    enablePushProxy: 'Enable-PushProxy.ps1',
    restartHealthManager: 'Restart-PushProxyHealthManager.ps1',
    restartAuthServices: 'Restart-PushProxyAuthServices.ps1',
    invokeProbe: 'Invoke-PushProxyProbe.ps1',
};

export const HOST_SCRIPT = 'host.ps1';
export const COMMON_SCRIPT = 'common.ps1';

/** The Exchange cmdlets the scripts call; the host reports those the session lacks (RBAC, missing snap-in). */
export const REQUIRED_CMDLETS = [
    'Get-OrganizationConfig',
    'Get-AcceptedDomain',
    'Get-ExchangeServer',
    'Get-ExchangeCertificate',
    'Import-ExchangeCertificate',
    'Enable-ExchangeCertificate',
    'Export-ExchangeCertificate',
    'Get-AuthConfig',
    'Set-AuthConfig',
    'Get-AuthServer',
    'New-AuthServer',
    'Set-AuthServer',
    'Get-PushNotificationApp',
    'Enable-PushNotificationProxy',
    'Invoke-MonitoringProbe',
] as const;
