import { CliUsageError } from './usage-error';
import { oneOf, wholeNumber } from './option-values';

export const CLOUDS = ['global', 'usGovHigh', 'usGovDoD', 'china'] as const;
export const KEY_TARGETS = ['firstPartyServicePrincipal', 'application'] as const;
export const KEY_SIZES = ['2048', '3072', '4096'] as const;
export const REVERIFY_MODES = ['report', 'repair'] as const;

/** The onboard options as parseArgs reads them. */
export interface OnboardOptionValues {
    readonly 'hybrid-connection'?: string;
    readonly 'tenant-id'?: string;
    readonly cloud?: string;
    readonly 'key-target'?: string;
    readonly 'app-id'?: string;
    readonly 'validity-months'?: string;
    readonly 'key-size'?: string;
    readonly settle?: string;
    readonly 'probe-attempts'?: string;
    readonly 'reverify-mode'?: string;
    readonly 'dry-run'?: boolean;
}

/** Body of POST /api/tenants/{tenantDomain}/onboard. Options left out are left out of the body: the API's defaults apply. */
export interface OnboardRequestBody {
    readonly agent: { readonly hybridConnection: string };
    readonly tenantId?: string;
    readonly cloud?: (typeof CLOUDS)[number];
    readonly keyTarget?: { readonly kind: 'firstPartyServicePrincipal' } | { readonly kind: 'application'; readonly appId: string };
    readonly certificate?: { readonly validityMonths?: number; readonly keySize?: 2048 | 3072 | 4096 };
    readonly settleSeconds?: number;
    readonly probeAttempts?: number;
    readonly reverifyMode?: (typeof REVERIFY_MODES)[number];
    readonly dryRun?: true;
}

/** The option behind each field of the body, to name it when the API refuses the field (400). */
export const ONBOARD_FIELD_OPTIONS: Readonly<Record<string, string>> = {
    tenantDomain: '<tenantDomain>',
    'body.agent.hybridConnection': '--hybrid-connection',
    'body.tenantId': '--tenant-id',
    'body.cloud': '--cloud',
    'body.keyTarget': '--key-target',
    'body.keyTarget.kind': '--key-target',
    'body.keyTarget.appId': '--app-id',
    'body.certificate.validityMonths': '--validity-months',
    'body.certificate.keySize': '--key-size',
    'body.settleSeconds': '--settle',
    'body.probeAttempts': '--probe-attempts',
    'body.reverifyMode': '--reverify-mode',
};

function keyTarget(values: OnboardOptionValues): OnboardRequestBody['keyTarget'] {
    const kind = values['key-target'] === undefined ? undefined : oneOf('key-target', values['key-target'], KEY_TARGETS);
    const appId = values['app-id'];
    if (kind === 'application') {
        if (appId === undefined) throw new CliUsageError('--key-target application needs --app-id <guid>: the application (client) id of the dedicated hybrid application');
        return { kind, appId };
    }
    if (appId !== undefined) throw new CliUsageError('--app-id goes with --key-target application');
    return kind === undefined ? undefined : { kind };
}

function certificate(values: OnboardOptionValues): OnboardRequestBody['certificate'] {
    const validityMonths = values['validity-months'] === undefined ? undefined : wholeNumber('validity-months', values['validity-months']);
    const keySize = values['key-size'] === undefined ? undefined : (Number(oneOf('key-size', values['key-size'], KEY_SIZES)) as 2048 | 3072 | 4096);
    if (validityMonths === undefined && keySize === undefined) return undefined;
    return { ...(validityMonths === undefined ? {} : { validityMonths }), ...(keySize === undefined ? {} : { keySize }) };
}

/** The request body for the onboard options; a usage error for a missing or malformed option. */
export function onboardRequestBody(values: OnboardOptionValues): OnboardRequestBody {
    const hybridConnection = values['hybrid-connection'];
    if (hybridConnection === undefined) throw new CliUsageError('--hybrid-connection <name> is required: the Azure Relay hybrid connection the agent listens on');
    const target = keyTarget(values);
    const cert = certificate(values);
    const optional = {
        ...(values['tenant-id'] === undefined ? {} : { tenantId: values['tenant-id'] }),
        ...(values.cloud === undefined ? {} : { cloud: oneOf('cloud', values.cloud, CLOUDS) }),
        ...(target === undefined ? {} : { keyTarget: target }),
        ...(cert === undefined ? {} : { certificate: cert }),
        ...(values.settle === undefined ? {} : { settleSeconds: wholeNumber('settle', values.settle) }),
        ...(values['probe-attempts'] === undefined ? {} : { probeAttempts: wholeNumber('probe-attempts', values['probe-attempts']) }),
        ...(values['reverify-mode'] === undefined ? {} : { reverifyMode: oneOf('reverify-mode', values['reverify-mode'], REVERIFY_MODES) }),
        ...(values['dry-run'] === true ? { dryRun: true as const } : {}),
    };
    return { agent: { hybridConnection }, ...optional };
}
