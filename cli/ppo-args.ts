import { parseArgs } from 'node:util';
import { asUsageErrors, CliUsageError } from './usage-error';
import { onboardRequestBody, REVERIFY_MODES, type OnboardRequestBody } from './onboard-request';
import { SIGN_IN_METHODS, type SignInMethod } from './api-sign-in';
import { oneOf } from './option-values';
import { isCommandName, type CommandName } from './ppo-usage';

export interface ConnectionOptions {
    readonly apiUrl?: string;
    readonly signIn?: SignInMethod;
}

interface CommonOptions {
    readonly connection: ConnectionOptions;
    readonly json: boolean;
}

export type VerifyRequestBody = { readonly mode?: (typeof REVERIFY_MODES)[number] };

export type PpoCommand =
    | { readonly kind: 'help'; readonly command?: CommandName }
    | (CommonOptions & { readonly kind: 'onboard'; readonly tenantDomain: string; readonly body: OnboardRequestBody; readonly wait: boolean })
    | (CommonOptions & { readonly kind: 'verify'; readonly tenantDomain: string; readonly body: VerifyRequestBody; readonly wait: boolean })
    | (CommonOptions & { readonly kind: 'status'; readonly instanceId: string })
    | (CommonOptions & { readonly kind: 'tenants' })
    | (CommonOptions & { readonly kind: 'tenant'; readonly tenantDomain: string })
    | (CommonOptions & { readonly kind: 'org'; readonly action: 'add'; readonly name: string; readonly out?: string })
    | (CommonOptions & { readonly kind: 'org'; readonly action: 'remove'; readonly name: string });

const COMMON = {
    'api-url': { type: 'string' },
    'sign-in': { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
} as const;

const ONBOARD = {
    ...COMMON,
    'hybrid-connection': { type: 'string' },
    'tenant-id': { type: 'string' },
    cloud: { type: 'string' },
    'key-target': { type: 'string' },
    'app-id': { type: 'string' },
    'validity-months': { type: 'string' },
    'key-size': { type: 'string' },
    settle: { type: 'string' },
    'probe-attempts': { type: 'string' },
    'reverify-mode': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
} as const;

const ORG = { ...COMMON, out: { type: 'string' } } as const;

const VERIFY = { ...COMMON, mode: { type: 'string' }, 'no-wait': { type: 'boolean', default: false } } as const;

/** The argument a command takes, named as its usage names it; absent for commands without one. */
const ARGUMENT: Readonly<Record<CommandName, string | undefined>> = {
    onboard: '<tenantDomain>',
    verify: '<tenantDomain>',
    status: '<instanceId>',
    tenants: undefined,
    tenant: '<tenantDomain>',
    org: '<name>',
};

const ORG_ACTIONS = ['add', 'remove'] as const;

/** A secret on the command line lands in shell history and process lists: refused without echoing it. */
function refuseSecretOnCommandLine(argv: readonly string[]): void {
    const secret = argv.find((arg) => /^--(function-key|client-secret|token)(=|$)/.test(arg))?.replace(/=.*$/, '');
    if (secret !== undefined) {
        throw new CliUsageError(`${secret} is not accepted: a secret on the command line ends up in shell history and process lists. ppo signs in with --sign-in (README, "How ppo signs in")`);
    }
}

function onlyArgument(command: CommandName, positionals: readonly string[]): string {
    const name = ARGUMENT[command];
    const [first, ...rest] = positionals;
    if (name === undefined) {
        if (first !== undefined) throw new CliUsageError(`the ${command} command takes no argument, not "${first}"`);
        return '';
    }
    if (first === undefined || first === '') throw new CliUsageError(`the ${command} command needs ${name}`);
    if (rest.length > 0) throw new CliUsageError(`the ${command} command takes one ${name}; unexpected "${rest.join(' ')}"`);
    return first;
}

function common(values: { readonly 'api-url'?: string; readonly 'sign-in'?: string; readonly json: boolean }): CommonOptions {
    const connection = {
        ...(values['api-url'] === undefined ? {} : { apiUrl: values['api-url'] }),
        ...(values['sign-in'] === undefined ? {} : { signIn: oneOf('sign-in', values['sign-in'], SIGN_IN_METHODS) }),
    };
    return { connection, json: values.json };
}

function parseCommand(command: CommandName, args: readonly string[]): PpoCommand {
    switch (command) {
        case 'onboard': {
            const { values, positionals } = asUsageErrors(() => parseArgs({ args: [...args], strict: true, allowPositionals: true, options: ONBOARD }));
            if (values.help) return { kind: 'help', command };
            return { kind: command, ...common(values), tenantDomain: onlyArgument(command, positionals), body: onboardRequestBody(values), wait: !values['no-wait'] };
        }
        case 'verify': {
            const { values, positionals } = asUsageErrors(() => parseArgs({ args: [...args], strict: true, allowPositionals: true, options: VERIFY }));
            if (values.help) return { kind: 'help', command };
            const body = values.mode === undefined ? {} : { mode: oneOf('mode', values.mode, REVERIFY_MODES) };
            return { kind: command, ...common(values), tenantDomain: onlyArgument(command, positionals), body, wait: !values['no-wait'] };
        }
        case 'org': {
            const { values, positionals } = asUsageErrors(() => parseArgs({ args: [...args], strict: true, allowPositionals: true, options: ORG }));
            if (values.help) return { kind: 'help', command };
            const [action, ...rest] = positionals;
            if (!ORG_ACTIONS.some((known) => known === action)) throw new CliUsageError(`the org command needs add or remove${action === undefined ? '' : `, not "${action}"`}`);
            const name = onlyArgument(command, rest);
            if (action === 'remove') {
                if (values.out !== undefined) throw new CliUsageError('--out goes with org add: org remove answers no configuration');
                return { kind: command, action: 'remove', ...common(values), name };
            }
            return { kind: command, action: 'add', ...common(values), name, ...(values.out === undefined ? {} : { out: values.out }) };
        }
        case 'status':
        case 'tenants':
        case 'tenant': {
            const { values, positionals } = asUsageErrors(() => parseArgs({ args: [...args], strict: true, allowPositionals: true, options: COMMON }));
            if (values.help) return { kind: 'help', command };
            const argument = onlyArgument(command, positionals);
            if (command === 'status') return { kind: command, ...common(values), instanceId: argument };
            if (command === 'tenant') return { kind: command, ...common(values), tenantDomain: argument };
            return { kind: command, ...common(values) };
        }
    }
}

/** Reads `ppo <command> ...`; a CliUsageError for anything it cannot run. */
export function parsePpoArgs(argv: readonly string[]): PpoCommand {
    refuseSecretOnCommandLine(argv);
    const [word, ...rest] = argv;
    if (word === undefined) throw new CliUsageError('a command is needed: onboard, verify, status, tenants, tenant or org');
    if (word === '--help' || word === '-h' || word === 'help') {
        return isCommandName(rest[0]) ? { kind: 'help', command: rest[0] } : { kind: 'help' };
    }
    if (!isCommandName(word)) throw new CliUsageError(`unknown command "${word}"`);
    return parseCommand(word, rest);
}
