import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { findPowerShell } from '../../local/exchange/powershell/powershell-double';
import { REPO_ROOT } from './infra-sources';

const INSTALLER = join(REPO_ROOT, 'agent', 'install-service.ps1');
const CHECK = join(__dirname, 'support', 'Invoke-ConfigPrivacyCheck.ps1');

const SYSTEM = 'S-1-5-18';
const ADMINISTRATORS = 'S-1-5-32-544';
const USERS = 'S-1-5-32-545';
const AUTHENTICATED_USERS = 'S-1-5-11';
const EVERYONE = 'S-1-1-0';
const INSTALLING_ADMIN = 'S-1-5-21-1004336348-1177238915-682003330-500';

/** FileSystemRights values (System.Security.AccessControl.FileSystemRights) and the generic rights an ACE may hold unmapped. */
const FULL_CONTROL = 2032127;
const MODIFY = 197055;
const READ_AND_EXECUTE = 131241;
const READ_DATA = 1;
const WRITE_DATA = 2;
const GENERIC_READ = 0x80000000 | 0;

interface Rule {
    readonly sid: string;
    readonly rights: number;
    readonly type: 'Allow' | 'Deny';
}

const admins: Rule[] = [
    { sid: SYSTEM, rights: FULL_CONTROL, type: 'Allow' },
    { sid: ADMINISTRATORS, rights: FULL_CONTROL, type: 'Allow' },
];

type Verdict = { refused: boolean; message: string };

/** Every list through the installer's check in one PowerShell process (starting one takes seconds). */
async function checkConfigAcls(acls: readonly (readonly Rule[])[]): Promise<Verdict[]> {
    const { stdout } = await promisify(execFile)(
        findPowerShell(),
        ['-NoLogo', '-NoProfile', '-NonInteractive', '-File', CHECK, '-InstallerPath', INSTALLER, '-AclsJson', JSON.stringify(acls), '-AllowedSids', [SYSTEM, ADMINISTRATORS, INSTALLING_ADMIN].join(',')],
        { timeout: 120_000 },
    );
    return JSON.parse(stdout.trim()) as Verdict[];
}

const REFUSED: [string, Rule[], string[]][] = [
    [
        'a file in C:\\Temp, which inherits the rights of C:\\ (Users read and execute, Authenticated Users modify)',
        [...admins, { sid: USERS, rights: READ_AND_EXECUTE, type: 'Allow' }, { sid: AUTHENTICATED_USERS, rights: MODIFY, type: 'Allow' }],
        [AUTHENTICATED_USERS, USERS],
    ],
    ['a file Everyone may read through GENERIC_READ', [...admins, { sid: EVERYONE, rights: GENERIC_READ, type: 'Allow' }], [EVERYONE]],
    ['a file Users may read data of', [...admins, { sid: USERS, rights: READ_DATA, type: 'Allow' }], [USERS]],
];

const ACCEPTED: [string, Rule[]][] = [
    ['a file in the folder docs/deploy.md has them make (SYSTEM and Administrators only)', admins],
    ['a file the installing administrator owns and reads', [...admins, { sid: INSTALLING_ADMIN, rights: FULL_CONTROL, type: 'Allow' }]],
    ['a file Users are denied reading', [...admins, { sid: USERS, rights: READ_AND_EXECUTE, type: 'Deny' }]],
    ['a file Users may only write to', [...admins, { sid: USERS, rights: WRITE_DATA, type: 'Allow' }]],
];

let verdicts = new Map<string, Verdict>();

beforeAll(async () => {
    const cases = [...REFUSED.map(([label, rules]) => [label, rules] as const), ...ACCEPTED];
    const results = await checkConfigAcls(cases.map(([, rules]) => rules));
    verdicts = new Map(cases.map(([label], index) => [label, results[index]!]));
}, 120_000);

/**
 * Issue 15, finding 6: the guide had administrators keep the plaintext configuration (Listen key,
 * shared secret) in C:\Temp, which every user may read. The installer's check runs here in real
 * PowerShell on the access rules Get-Acl would return; Get-Acl itself, and the ACL of a real file,
 * exist only on Windows, so that part is not exercised off Windows.
 */
describe('install-service.ps1 refuses a configuration file that non-administrators can read', () => {
    it.each(REFUSED)('refuses %s, naming who can read it', (label, _rules, readers) => {
        // Act
        const result = verdicts.get(label);

        // Assess
        expect(result?.refused).toBe(true);
        expect(result?.message).toContain(`can be read by ${readers.join(', ')}:`);
        expect(result?.message).toContain('docs/deploy.md');
    });

    it.each(ACCEPTED)('accepts %s', (label) => {
        // Act
        const result = verdicts.get(label);

        // Assess
        expect(result).toEqual({ refused: false, message: '' });
    });
});
