import { describe, expect, it } from 'vitest';
import { CliUsageError } from '../../cli/usage-error';
import { parsePpoArgs } from '../../cli/ppo-args';
import { withLine } from './support/with-line';

const GUID = '0b5a4c3d-2e1f-4a9b-8c7d-6e5f4a3b2c1d';
const APP_ID = 'c6d719f8-22aa-4210-8f1a-845a471254d0';
const ONBOARD = ['onboard', 'contoso.com', '--hybrid-connection', 'contoso-exchange'];

describe('ppo arguments', () => {
    it.each([
        {
            argv: ONBOARD,
            expected: { kind: 'onboard', tenantDomain: 'contoso.com', body: { agent: { hybridConnection: 'contoso-exchange' } }, wait: true, json: false, connection: {} },
        },
        {
            argv: [
                ...ONBOARD,
                ...['--tenant-id', GUID, '--cloud', 'usGovHigh', '--validity-months', '36', '--key-size', '4096'],
                ...['--settle', '0', '--probe-attempts', '5', '--reverify-mode', 'repair', '--dry-run', '--no-wait', '--json'],
            ],
            expected: {
                kind: 'onboard',
                tenantDomain: 'contoso.com',
                body: {
                    agent: { hybridConnection: 'contoso-exchange' },
                    tenantId: GUID,
                    cloud: 'usGovHigh',
                    certificate: { validityMonths: 36, keySize: 4096 },
                    settleSeconds: 0,
                    probeAttempts: 5,
                    reverifyMode: 'repair',
                    dryRun: true,
                },
                wait: false,
                json: true,
                connection: {},
            },
        },
        {
            argv: [...ONBOARD, '--key-target', 'application', '--app-id', APP_ID],
            expected: { kind: 'onboard', body: { agent: { hybridConnection: 'contoso-exchange' }, keyTarget: { kind: 'application', appId: APP_ID } } },
        },
        {
            argv: [...ONBOARD, '--key-target=firstPartyServicePrincipal', '--key-size=3072'],
            expected: { body: { agent: { hybridConnection: 'contoso-exchange' }, keyTarget: { kind: 'firstPartyServicePrincipal' }, certificate: { keySize: 3072 } } },
        },
        {
            argv: ['tenants', '--api-url', 'https://ppo.azurewebsites.net', '--sign-in', 'device-code'],
            expected: { kind: 'tenants', json: false, connection: { apiUrl: 'https://ppo.azurewebsites.net', signIn: 'device-code' } },
        },
        { argv: ['verify', 'contoso.com'], expected: { kind: 'verify', tenantDomain: 'contoso.com', body: {}, wait: true, json: false, connection: {} } },
        { argv: ['verify', 'contoso.com', '--mode', 'repair', '--no-wait', '--json'], expected: { kind: 'verify', body: { mode: 'repair' }, wait: false, json: true } },
        { argv: ['status', 'tenant-contoso.com', '--json'], expected: { kind: 'status', instanceId: 'tenant-contoso.com', json: true, connection: {} } },
        { argv: ['tenant', 'contoso.com'], expected: { kind: 'tenant', tenantDomain: 'contoso.com', json: false, connection: {} } },
        { argv: ['--help'], expected: { kind: 'help' } },
        { argv: ['help', 'verify'], expected: { kind: 'help', command: 'verify' } },
        { argv: ['onboard', '--help'], expected: { kind: 'help', command: 'onboard' } },
        { argv: ['tenants', '-h'], expected: { kind: 'help', command: 'tenants' } },
    ].map(withLine))('reads "$line"', ({ argv, expected }) => {
        // Act
        const command = parsePpoArgs(argv);

        // Assess
        expect(command).toMatchObject(expected);
    });

    it('leaves every option the administrator did not give out of the body, so that the API applies its defaults', () => {
        // Act
        const command = parsePpoArgs(ONBOARD);

        // Assess
        expect(command).toEqual({ kind: 'onboard', tenantDomain: 'contoso.com', body: { agent: { hybridConnection: 'contoso-exchange' } }, wait: true, json: false, connection: {} });
    });

    it.each([
        { argv: [], message: 'a command is needed: onboard, verify, status, tenants, tenant or org' },
        { argv: ['deploy'], message: 'unknown command "deploy"' },
        { argv: ['onboard'], message: 'the onboard command needs <tenantDomain>' },
        { argv: ['onboard', 'contoso.com'], message: '--hybrid-connection <name> is required' },
        { argv: ['onboard', 'contoso.com', '--hybrid-connection'], message: "Option '--hybrid-connection <value>' argument missing" },
        { argv: ['onboard', 'contoso.com', 'fabrikam.com', '--hybrid-connection', 'x'], message: 'the onboard command takes one <tenantDomain>; unexpected "fabrikam.com"' },
        { argv: [...ONBOARD, '--cloud', 'mars'], message: '--cloud must be one of global, usGovHigh, usGovDoD, china, not "mars"' },
        { argv: [...ONBOARD, '--key-size', '1024'], message: '--key-size must be one of 2048, 3072, 4096, not "1024"' },
        { argv: [...ONBOARD, '--key-target', 'application'], message: '--key-target application needs --app-id <guid>' },
        { argv: [...ONBOARD, '--app-id', APP_ID], message: '--app-id goes with --key-target application' },
        { argv: [...ONBOARD, '--key-target', 'firstPartyServicePrincipal', '--app-id', APP_ID], message: '--app-id goes with --key-target application' },
        { argv: [...ONBOARD, '--key-target', 'app'], message: '--key-target must be one of firstPartyServicePrincipal, application, not "app"' },
        { argv: [...ONBOARD, '--settle', 'soon'], message: '--settle must be a whole number, not "soon"' },
        { argv: [...ONBOARD, '--settle', '-1'], message: "Option '--settle' argument is ambiguous" },
        { argv: [...ONBOARD, '--validity-months', '2.5'], message: '--validity-months must be a whole number, not "2.5"' },
        { argv: [...ONBOARD, '--probe-attempts', ''], message: '--probe-attempts must be a whole number, not ""' },
        { argv: [...ONBOARD, '--reverify-mode', 'fix'], message: '--reverify-mode must be one of report, repair, not "fix"' },
        { argv: [...ONBOARD, '--mode', 'repair'], message: "Unknown option '--mode'" },
        { argv: [...ONBOARD, '--dry-run=yes'], message: "Option '--dry-run' does not take an argument" },
        { argv: ['verify', 'contoso.com', '--mode', 'fix'], message: '--mode must be one of report, repair, not "fix"' },
        { argv: ['verify', 'contoso.com', '--hybrid-connection', 'x'], message: "Unknown option '--hybrid-connection'" },
        { argv: ['verify'], message: 'the verify command needs <tenantDomain>' },
        { argv: ['status'], message: 'the status command needs <instanceId>' },
        { argv: ['status', 'tenant-contoso.com', '--no-wait'], message: "Unknown option '--no-wait'" },
        { argv: ['tenants', 'contoso.com'], message: 'the tenants command takes no argument, not "contoso.com"' },
        { argv: ['tenant', 'contoso.com', 'fabrikam.com'], message: 'the tenant command takes one <tenantDomain>; unexpected "fabrikam.com"' },
        { argv: ['tenants', '--json=yes'], message: "Option '--json' does not take an argument" },
    ].map(withLine))('refuses "$line"', ({ argv, message }) => {
        // Act
        const parse = () => parsePpoArgs(argv);

        // Assess
        expect(parse).toThrow(CliUsageError);
        expect(parse).toThrow(message);
    });

    it.each([
        { argv: ['tenants', '--function-key', 'Zm9vYmFyLXNlY3JldA=='] },
        { argv: ['onboard', 'contoso.com', '--hybrid-connection', 'x', '--function-key=Zm9vYmFyLXNlY3JldA=='] },
    ].map(withLine))('refuses a function key on the command line, without repeating it: "$line"', ({ argv }) => {
        // Act
        let message = '';
        try {
            parsePpoArgs(argv);
        } catch (error) {
            message = (error as Error).message;
        }

        // Assess
        expect(message).toContain('--function-key is not accepted: a secret on the command line ends up in shell history and process lists');
        expect(message).not.toContain('Zm9vYmFyLXNlY3JldA==');
    });
});
