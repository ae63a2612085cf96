import fc from 'fast-check';
import { OPERATION_NAMES, type OperationName, sealPrivateKey } from '../../../lib/protocol';
import { SHARED_SECRET } from '../../agent/support/signed-requests';

/**
 * Generators for the agent protocol. Valid parameters are built from the protocol's documented
 * rules (DESIGN.md section 4, lib/protocol/operations), invalid ones by breaking one rule.
 */

export interface OperationCall {
    readonly operation: OperationName;
    readonly params: unknown;
}

const hex40 = fc.stringMatching(/^[0-9A-Fa-f]{40}$/);
const serverName = fc.oneof(fc.constantFrom('EX1', 'EX2', 'ex1.corp.contoso.com'), fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.-]{0,30}$/));
const servers = fc.array(serverName, { minLength: 1, maxLength: 4 });
const isoTime = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
/** The domains the test organization (test/agent/support/world.ts) may name: its accepted domains and its tenant's onmicrosoft domain. */
export const ORGANIZATION_DOMAINS = ['contoso.com', 'contoso.mail.onmicrosoft.com', 'contoso.onmicrosoft.com'] as const;
const organizationDomain = fc.constantFrom(...ORGANIZATION_DOMAINS, 'CONTOSO.COM');

/** One sealed PFX for the file: the shell refuses its bytes, but only after it was called. */
const SEALED = sealPrivateKey({ pfx: Buffer.from('not really a pfx, but sealed properly'), password: 'pw' }, SHARED_SECRET);

/** Parameters each operation accepts, built from its documented rules. */
export function validCall(): fc.Arbitrary<OperationCall> {
    const call = <N extends OperationName>(operation: N, params: fc.Arbitrary<unknown>) => params.map((p): OperationCall => ({ operation, params: p }));
    return fc.oneof(
        call('inventory', fc.constantFrom<unknown>({}, null)),
        call(
            'installCertificate',
            fc.record(
                {
                    thumbprint: hex40,
                    source: fc.oneof(serverName.map((server) => ({ kind: 'server', server })), fc.constant({ kind: 'sealedPfx', sealed: SEALED })),
                    servers,
                    privateKeyExportable: fc.boolean(),
                },
                { requiredKeys: ['thumbprint', 'source'] },
            ),
        ),
        call(
            'setAuthConfig',
            fc.oneof(
                hex40.map((thumbprint) => ({ action: 'setCurrent', thumbprint })),
                fc.tuple(hex40, isoTime).map(([thumbprint, effectiveDate]) => ({ action: 'stageNext', thumbprint, effectiveDate })),
                hex40.map((thumbprint) => ({ action: 'publish', thumbprint })),
                fc.constant({ action: 'clearPrevious' }),
            ),
        ),
        call(
            'ensureAuthServer',
            fc.record(
                {
                    name: fc.constant('MicrosoftSts'),
                    authMetadataUrl: fc
                        .tuple(fc.constantFrom('accounts.accesscontrol.windows.net', 'login.microsoftonline.us', 'accounts.accesscontrol.chinacloudapi.cn'), organizationDomain)
                        .map(([host, realm]) => `https://${host}/metadata/json/1/?realm=${realm}`),
                },
                { requiredKeys: ['authMetadataUrl'] },
            ),
        ),
        call('enablePushProxy', organizationDomain.map((organization) => ({ organization, uri: 'https://outlook.office365.com/PushNotifications' }))),
        call('restartHealthManager', fc.record({ servers }, { requiredKeys: [] })),
        call('restartAuthServices', fc.record({ servers }, { requiredKeys: [] })),
        call('invokeProbe', fc.record({ server: serverName }, { requiredKeys: [] })),
    );
}

/** Strings an attacker would try where a name goes: script, quoting, control characters, look-alikes. */
const injection = fc.constantFrom(
    'EX1; Remove-Item C:\\ -Recurse',
    '$(Get-Process)',
    'EX1`nRemove-Mailbox',
    "EX1' -or '1'='1",
    'EX1\u0000',
    'EX1\r\nX',
    '-EX1',
    '.EX1',
    'ЕХ1', // Cyrillic
    'ＥＸ1',
    '',
    ' ',
    'EX1 ',
    '../EX1',
    'x'.repeat(300),
);

const notAList = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 2 }));
const notAString = fc.oneof(notAList.filter((value) => typeof value !== 'string'), fc.array(fc.string(), { maxLength: 2 }));

/** A value that breaks a string rule: wrong type, injection, or arbitrary text failing `rule`. */
function badString(rule: RegExp): fc.Arbitrary<unknown> {
    return fc.oneof(notAString, injection.filter((value) => !rule.test(value)), fc.string({ unit: 'binary', maxLength: 30 }).filter((value) => !rule.test(value)));
}

const THUMBPRINT = /^[0-9A-Fa-f]{40}$/;
const SERVER = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;
const DOMAIN = /^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;
const AUTH_SERVER_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

const badUrl = fc.oneof(
    notAString,
    fc.constantFrom(
        'http://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com',
        'ftp://evil.example/x',
        'file:///C:/Windows/win.ini',
        'javascript:alert(1)',
        '\\\\evil\\share',
        '//evil.example/x',
        '',
        'not a url',
        `https://evil.example/${'a'.repeat(2100)}`,
    ),
);

export interface InvalidCall extends OperationCall {
    /** Which rule the parameters break. */
    readonly broken: string;
}

/** Every parameter name an operation knows (in any of its forms): anything else is unknown. */
const KNOWN_PARAMETERS: Readonly<Record<OperationName, readonly string[]>> = {
    inventory: [],
    installCertificate: ['thumbprint', 'source', 'servers', 'privateKeyExportable'],
    setAuthConfig: ['action', 'thumbprint', 'effectiveDate'],
    ensureAuthServer: ['name', 'authMetadataUrl'],
    enablePushProxy: ['organization', 'uri'],
    restartHealthManager: ['servers'],
    restartAuthServices: ['servers'],
    invokeProbe: ['server'],
};

/** One rule of one operation broken: the request must be refused as invalid_params. */
export function invalidCall(): fc.Arbitrary<InvalidCall> {
    const broken = (operation: OperationName, what: string, params: fc.Arbitrary<unknown>) => params.map((p): InvalidCall => ({ operation, params: p, broken: what }));
    const extraKey = fc.string({ maxLength: 12 });
    return fc.oneof(
        broken('inventory', 'unknown parameter', fc.tuple(extraKey, fc.jsonValue({ maxDepth: 2 })).map(([key, value]) => ({ [key]: value }))),
        broken('inventory', 'params not an object', fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.array(fc.jsonValue(), { maxLength: 3 }))),
        broken('installCertificate', 'thumbprint', fc.tuple(badString(THUMBPRINT), serverName).map(([thumbprint, server]) => ({ thumbprint, source: { kind: 'server', server } }))),
        broken('installCertificate', 'source server', fc.tuple(hex40, badString(SERVER)).map(([thumbprint, server]) => ({ thumbprint, source: { kind: 'server', server } }))),
        broken('installCertificate', 'source kind', fc.tuple(hex40, fc.constantFrom('file', 'url', 'pfx', 'Server', '', '__proto__')).map(([thumbprint, kind]) => ({ thumbprint, source: { kind, server: 'EX1' } }))),
        broken('installCertificate', 'sealed', fc.tuple(hex40, fc.oneof(notAString, fc.constant({ ...SEALED, version: 2 }), fc.constant({ ...SEALED, extra: 1 }), fc.constant({ ...SEALED, iv: 'short' }))).map(([thumbprint, sealed]) => ({ thumbprint, source: { kind: 'sealedPfx', sealed } }))),
        broken('installCertificate', 'servers', fc.tuple(hex40, fc.oneof(fc.constant([]), fc.constant(Array.from({ length: 201 }, () => 'EX1')), badString(SERVER).map((server) => ['EX1', server]), notAList)).map(([thumbprint, list]) => ({ thumbprint, source: { kind: 'server', server: 'EX1' }, servers: list }))),
        broken('installCertificate', 'privateKeyExportable', fc.tuple(hex40, fc.oneof(fc.constantFrom('true', 'false', 0, 1, null), fc.string())).map(([thumbprint, exportable]) => ({ thumbprint, source: { kind: 'server', server: 'EX1' }, privateKeyExportable: exportable }))),
        broken('setAuthConfig', 'action', fc.oneof(fc.constantFrom('remove', 'SetCurrent', 'publish ', '', 'constructor'), notAString).map((action) => ({ action, thumbprint: 'A'.repeat(40) }))),
        broken('setAuthConfig', 'thumbprint', fc.tuple(fc.constantFrom('setCurrent', 'publish'), badString(THUMBPRINT)).map(([action, thumbprint]) => ({ action, thumbprint }))),
        broken('setAuthConfig', 'effectiveDate', fc.oneof(fc.constantFrom('tomorrow', '2026-01-01', '2026-01-01T00:00:00+02:00', '2026-13-01T00:00:00Z', ''), notAString).map((effectiveDate) => ({ action: 'stageNext', thumbprint: 'B'.repeat(40), effectiveDate }))),
        broken('setAuthConfig', 'extra key for the action', fc.constant({ action: 'clearPrevious', thumbprint: 'C'.repeat(40) })),
        broken('ensureAuthServer', 'authMetadataUrl', badUrl.map((authMetadataUrl) => ({ authMetadataUrl }))),
        broken('ensureAuthServer', 'name', badString(AUTH_SERVER_NAME).map((name) => ({ name, authMetadataUrl: 'https://accounts.accesscontrol.windows.net/metadata/json/1/?realm=contoso.com' }))),
        broken('enablePushProxy', 'organization', fc.oneof(badString(DOMAIN), fc.constantFrom('contoso', 'contoso.com; Remove-Item', '-contoso.com', 'contoso..com', 'contoso.c')).map((organization) => ({ organization, uri: 'https://outlook.office365.com/PushNotifications' }))),
        broken('enablePushProxy', 'uri', fc.constantFrom('http://outlook.office365.com/PushNotifications', 'https://outlook.office365.com/PushNotifications; Remove-Item', 'https://evil.example/other', '').map((uri) => ({ organization: 'contoso.com', uri }))),
        broken('restartHealthManager', 'servers', fc.oneof(fc.constant([]), badString(SERVER).map((server) => [server]), notAList).map((list) => ({ servers: list }))),
        broken('restartAuthServices', 'servers', fc.oneof(fc.constant([]), badString(SERVER).map((server) => [server]), notAList).map((list) => ({ servers: list }))),
        broken('invokeProbe', 'server', badString(SERVER).map((server) => ({ server }))),
        fc
            .tuple(validCall(), extraKey)
            .filter(([call, key]) => !KNOWN_PARAMETERS[call.operation].includes(key))
            .map(([call, key]): InvalidCall => {
                const params = typeof call.params === 'object' && call.params !== null ? (call.params as Record<string, unknown>) : {};
                const withExtra: Record<string, unknown> = { ...params };
                Object.defineProperty(withExtra, key, { value: 'x', enumerable: true, writable: true, configurable: true });
                return { operation: call.operation, params: withExtra, broken: `unknown parameter ${JSON.stringify(key)}` };
            }),
    );
}

/** Paths that are not exactly "/ops/<allowlisted name>": path tricks, encodings, look-alikes, anything. */
export function foreignPath(): fc.Arbitrary<string> {
    const name = fc.constantFrom(...OPERATION_NAMES);
    const tricks = fc.constantFrom(
        '/ops/../ops/inventory',
        '/ops/./inventory',
        '/ops/inventory/..',
        '/ops/inventory/../inventory',
        'ops/inventory',
        '/ops/inventory/',
        '//ops/inventory',
        '/ops//inventory',
        '/OPS/inventory',
        '/ops/%2e%2e/ops/inventory',
        '/ops/%2E%2E%2Fops%2Finventory',
        '/ops/..%2finventory',
        '/ops/%69nventory',
        '/ops/inventory%00',
        '/ops/inventory\u0000',
        '/ops/inventory\n',
        '/ops/inventory ',
        '/ops/inventory;x',
        '/ops/inventory#x',
        '/ops/inventory?x=1',
        '/ops/inventory?',
        '\\ops\\inventory',
        '/ops\\inventory',
        '/ops/іnventory', // Cyrillic і
        '/ops/ｉnventory', // full-width
        '/ops/inventory\u200b',
        '/ops/constructor',
        '/ops/__proto__',
        '/ops/toString',
        '/ops/hasOwnProperty',
        '/ops/valueOf',
        '/ops/removeEverything',
        '/ops/Invoke-Expression',
        '/ops/',
        '/ops',
        '/',
        '',
        '/inventory',
        '/api/ops/inventory',
        'https://agent/ops/inventory',
    );
    const mangled = fc.tuple(fc.constantFrom('/ops/', '/ops//', '/Ops/', 'ops/', '/ops/./', '/ops/../', '/x/../ops/', '%2Fops%2F'), name, fc.constantFrom('', '/', '.', '..', '/..', '%20', '%00', '?', '#', 'X', ':$DATA', '.ps1')).map(
        ([prefix, operation, suffix]) => `${prefix}${operation}${suffix}`,
    );
    const cased = name.chain((operation) => fc.nat({ max: operation.length - 1 }).map((at) => `/ops/${operation.slice(0, at)}${operation.charAt(at).toUpperCase() === operation.charAt(at) ? operation.charAt(at).toLowerCase() : operation.charAt(at).toUpperCase()}${operation.slice(at + 1)}`));
    const anything = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 40 }).map((text) => `/ops/${text}`), fc.webPath());
    const allowed = new Set(OPERATION_NAMES.map((operation) => `/ops/${operation}`));
    return fc.oneof(tricks, mangled, cased, anything).filter((path) => !allowed.has(path));
}

/** Any method but POST. */
export function otherMethod(): fc.Arbitrary<string> {
    return fc
        .oneof(fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT', 'PROPFIND', 'POSTX', 'XPOST', 'P0ST', 'POST ', ''), fc.stringMatching(/^[A-Za-z-]{1,10}$/))
        .filter((method) => method.toUpperCase() !== 'POST');
}
