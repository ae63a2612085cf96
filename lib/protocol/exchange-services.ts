/**
 * Exchange's AllowedServices flags. The article's certificate filter `$_.Services -ge "SMTP"`
 * compares the flags' numeric value, so it holds for SMTP and also for Federation or UMCallRouter
 * without SMTP (a certificate made by the article's own New-ExchangeCertificate -Services Federation).
 */
export const EXCHANGE_SERVICE_FLAGS: Readonly<Record<string, number>> = {
    None: 0,
    IMAP: 1,
    POP: 2,
    UM: 4,
    IIS: 8,
    SMTP: 16,
    Federation: 32,
    UMCallRouter: 64,
};

export function exchangeServicesValue(services: readonly string[]): number {
    return services.reduce((sum, service) => sum | (EXCHANGE_SERVICE_FLAGS[service] ?? 0), 0);
}

/** The article's `$_.Services -ge "SMTP"`. */
export function servicesAtLeastSmtp(services: readonly string[]): boolean {
    return exchangeServicesValue(services) >= (EXCHANGE_SERVICE_FLAGS.SMTP ?? 16);
}
