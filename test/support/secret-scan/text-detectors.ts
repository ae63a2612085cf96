import { keyShapeOf, type KeyShape } from './key-shapes';
import type { SecretFinding, SecretKind } from './scan-types';

type Detection = Omit<SecretFinding, 'source'>;

/** Azurite's development account key: published in Microsoft's documentation, the same on every machine, not a secret. */
const AZURITE_PUBLIC_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

const PEM_PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |ENCRYPTED |OPENSSH )?PRIVATE KEY)-----/g;
const BASE64_RUN = /[A-Za-z0-9+/_-]{100,}={0,2}/g;
const HEX_RUN = /[0-9a-fA-F]{200,}/g;
const JWT = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\bBearer\s+[A-Za-z0-9\-._~+/]{16,}=*/g;
const SAS_TOKEN = /SharedAccessSignature\s+\S*sig=|[?&](?:sig|sb-hc-token)=[A-Za-z0-9%+/=._-]{16,}/g;
const ACCOUNT_KEY = /(?:SharedAccessKey|AccountKey)=([^;"'\s]+)/g;

function kindOfShape(shape: KeyShape): SecretKind {
    return shape === 'pkcs12Pfx' ? 'pfx' : 'privateKey';
}

/** DER starts that a key container can have inside a base64 run: aligned positions of "MI" (SEQUENCE with a long length). */
function derStarts(run: string): number[] {
    const starts = [0];
    for (let index = run.indexOf('MI', 1); index >= 0; index = run.indexOf('MI', index + 1)) if (index % 4 === 0) starts.push(index);
    return starts;
}

function decodeBase64(text: string): Buffer {
    return Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

function* base64Keys(text: string): Generator<Detection> {
    for (const match of text.matchAll(BASE64_RUN)) {
        for (const start of derStarts(match[0])) {
            const shape = keyShapeOf(decodeBase64(match[0].slice(start)));
            if (shape === undefined) continue;
            yield { kind: kindOfShape(shape), how: `base64 DER ${shape}`, at: match.index + start };
            break;
        }
    }
}

function* hexKeys(text: string): Generator<Detection> {
    for (const match of text.matchAll(HEX_RUN)) {
        const even = match[0].length % 2 === 0 ? match[0] : match[0].slice(0, -1);
        const shape = keyShapeOf(Buffer.from(even, 'hex'));
        if (shape !== undefined) yield { kind: kindOfShape(shape), how: `hex DER ${shape}`, at: match.index };
    }
}

function isJwtHeader(part: string): boolean {
    try {
        const header = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
        return typeof header === 'object' && header !== null && 'alg' in header;
    } catch {
        return false;
    }
}

/** Secrets recognised by their shape wherever they appear in a text. */
export function* textDetections(text: string): Generator<Detection> {
    for (const match of text.matchAll(PEM_PRIVATE_KEY)) yield { kind: 'privateKey', how: `PEM ${match[1] ?? 'PRIVATE KEY'} block`, at: match.index };
    yield* base64Keys(text);
    yield* hexKeys(text);
    for (const match of text.matchAll(JWT)) {
        if (isJwtHeader(match[0].split('.')[0] ?? '')) yield { kind: 'bearerToken', how: 'JWT', at: match.index };
    }
    for (const match of text.matchAll(BEARER)) yield { kind: 'bearerToken', how: 'Bearer credential', at: match.index };
    for (const match of text.matchAll(SAS_TOKEN)) yield { kind: 'sasToken', how: 'SAS token signature', at: match.index };
    for (const match of text.matchAll(ACCOUNT_KEY)) {
        if (match[1] !== AZURITE_PUBLIC_KEY) yield { kind: 'sasKey', how: 'shared access key in a connection string', at: match.index };
    }
}
