import https from 'node:https';
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/** A token endpoint refused or failed; carries the HTTP status and the OAuth error code, never a token. */
export class IssuerTokenError extends Error {
    constructor(
        message: string,
        readonly statusCode: number | undefined,
    ) {
        super(message);
        this.name = 'IssuerTokenError';
    }
}

interface TokenResponse {
    readonly access_token?: unknown;
    readonly expires_in?: unknown;
    readonly error?: unknown;
}

const REFRESH_MARGIN_MS = 120_000;

function parseTokenResponse(bytes: Buffer): TokenResponse {
    try {
        const parsed: unknown = JSON.parse(bytes.toString('utf8'));
        return typeof parsed === 'object' && parsed !== null ? parsed : {};
    } catch {
        return {};
    }
}

/**
 * The OAuth 2.0 client-credentials grant against one token endpoint (PPO_CREDENTIAL=localIssuer):
 * POST grant_type=client_credentials, client_id and scope ("<resource>/.default"), Bearer token back.
 * Tokens are cached per scope until shortly before they expire.
 */
export class IssuerTokenCredential implements TokenCredential {
    private readonly cache = new Map<string, AccessToken>();

    constructor(
        private readonly tokenUrl: string,
        private readonly clientId: string | undefined,
        private readonly agent: https.Agent | undefined,
        private readonly now: () => number = Date.now,
    ) {}

    async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
        const scope = (Array.isArray(scopes) ? scopes : [scopes]).join(' ');
        const cached = this.cache.get(scope);
        if (cached !== undefined && cached.expiresOnTimestamp - REFRESH_MARGIN_MS > this.now()) return cached;
        const form = new URLSearchParams({ grant_type: 'client_credentials', scope, ...(this.clientId === undefined ? {} : { client_id: this.clientId }) });
        const { status, body } = await this.post(form.toString());
        if (status !== 200 || typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
            throw new IssuerTokenError(`The token endpoint answered HTTP ${status}${typeof body.error === 'string' ? ` (${body.error})` : ''} for scope ${scope}.`, status);
        }
        const token: AccessToken = { token: body.access_token, expiresOnTimestamp: this.now() + body.expires_in * 1000, tokenType: 'Bearer' };
        this.cache.set(scope, token);
        return token;
    }

    private post(body: string): Promise<{ status: number; body: TokenResponse }> {
        return new Promise((resolve, reject) => {
            const request = https.request(
                this.tokenUrl,
                {
                    method: 'POST',
                    headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
                    ...(this.agent === undefined ? {} : { agent: this.agent }),
                },
                (response) => {
                    const chunks: Buffer[] = [];
                    response.on('data', (chunk: Buffer) => chunks.push(chunk));
                    response.on('error', reject);
                    response.on('end', () => resolve({ status: response.statusCode ?? 0, body: parseTokenResponse(Buffer.concat(chunks)) }));
                },
            );
            request.setTimeout(30_000, () => request.destroy(new Error('no answer within 30 s')));
            request.on('error', (error) => reject(new IssuerTokenError(`The token endpoint could not be reached: ${error.message}`, undefined)));
            request.end(body);
        });
    }
}
