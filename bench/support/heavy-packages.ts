/** Packages that take long to load and that the app needs only once it calls Azure (B3 reports which load at import). */
export const HEAVY_PACKAGES = [
    '@azure/identity',
    '@azure/msal-node',
    '@azure/keyvault-certificates',
    '@azure/keyvault-secrets',
    '@azure/data-tables',
    '@microsoft/microsoft-graph-client',
    'node-forge',
    'zod',
] as const;
