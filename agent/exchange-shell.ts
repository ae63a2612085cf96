import type {
    EnablePushProxyParams,
    EnablePushProxyResult,
    EnsureAuthServerParams,
    EnsureAuthServerResult,
    InstallCertificateResult,
    InvokeProbeParams,
    InvokeProbeResult,
    RestartAuthServicesParams,
    RestartAuthServicesResult,
    RestartHealthManagerParams,
    RestartHealthManagerResult,
    SetAuthConfigParams,
    SetAuthConfigResult,
    ShellInventory,
} from '../lib/protocol';

/** Where the certificate to install comes from, once the agent has unsealed it. */
export type CertificateSource =
    | { readonly kind: 'pfx'; readonly pfx: Buffer; readonly password: string }
    | { readonly kind: 'server'; readonly server: string };

export interface InstallCertificateRequest {
    readonly thumbprint: string;
    readonly source: CertificateSource;
    /** Undefined: every Mailbox and ClientAccess server. */
    readonly servers: readonly string[] | undefined;
    readonly privateKeyExportable: boolean;
}

export interface ShellReadiness {
    /** "snapIn", "remote" or "simulated". */
    readonly mode: string;
    /** Exchange cmdlets the scripts need that the session does not have (RBAC or a missing snap-in). */
    readonly missingCmdlets: readonly string[];
}

/**
 * Exchange behind one interface: each method is one allowlisted operation, run as one script in
 * PowerShell or against the simulated organization. Failures of the Exchange side throw
 * PushProxyError (exchange_failed, shell_unavailable, shell_timeout).
 */
export interface ExchangeShell {
    /** How many operations it runs side by side (the agent's pool of Exchange sessions); absent: one at a time. */
    readonly sessions?: number;
    inventory(): Promise<ShellInventory>;
    installCertificate(request: InstallCertificateRequest): Promise<InstallCertificateResult>;
    setAuthConfig(params: SetAuthConfigParams): Promise<SetAuthConfigResult>;
    ensureAuthServer(params: EnsureAuthServerParams): Promise<EnsureAuthServerResult>;
    enablePushProxy(params: EnablePushProxyParams): Promise<EnablePushProxyResult>;
    restartHealthManager(params: RestartHealthManagerParams): Promise<RestartHealthManagerResult>;
    /** Once the current Auth certificate changed: MSExchangeServiceHost and the OWA and ECP pools, on each server. */
    restartAuthServices(params: RestartAuthServicesParams): Promise<RestartAuthServicesResult>;
    invokeProbe(params: InvokeProbeParams): Promise<InvokeProbeResult>;
    /** Starts the shell if needed and reports whether the Exchange cmdlets are there. */
    checkReady(): Promise<ShellReadiness>;
    close(): Promise<void>;
}
