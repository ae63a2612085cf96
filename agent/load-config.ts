import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ConfigurationError } from '../lib/errors';
import { type AgentConfig, parseAgentConfig } from './config';
import { windowsPowerShellPath } from './shell/powershell-exchange-shell';

/** The file install-service.ps1 writes: the whole configuration encrypted with machine-scope DPAPI. */
export const DPAPI_CONFIG_FORMAT = 'push-proxy-agent-config/dpapi-v1';

const protectedConfigSchema = z.object({
    format: z.literal(DPAPI_CONFIG_FORMAT),
    scope: z.literal('LocalMachine'),
    entropy: z.string(),
    protected: z.base64(),
});

export type ProtectedConfig = z.infer<typeof protectedConfigSchema>;

/** Decrypts a DPAPI-protected configuration to its JSON text. */
export type Unprotect = (document: ProtectedConfig) => Promise<string>;

// Reads {protected, entropy} as JSON on stdin and writes the plaintext to stdout: nothing on the command line.
const UNPROTECT_SCRIPT = [
    "$ErrorActionPreference = 'Stop'",
    'Add-Type -AssemblyName System.Security',
    '$request = [Console]::In.ReadToEnd() | ConvertFrom-Json',
    '$plain = [System.Security.Cryptography.ProtectedData]::Unprotect([Convert]::FromBase64String($request.protected), [System.Text.Encoding]::UTF8.GetBytes($request.entropy), [System.Security.Cryptography.DataProtectionScope]::LocalMachine)',
    '[Console]::Out.Write([Convert]::ToBase64String($plain))',
].join('; ');

/** Windows only: DPAPI through Windows PowerShell's ProtectedData. */
export const unprotectWithPowerShell: Unprotect = (document) =>
    new Promise<string>((resolve, reject) => {
        const child = spawn(windowsPowerShellPath(), ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', UNPROTECT_SCRIPT], { windowsHide: true });
        let output = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
        child.stderr.resume();
        child.on('error', (error) => reject(new ConfigurationError('The protected configuration needs Windows PowerShell to decrypt it.', { cause: error })));
        child.on('exit', (code) => {
            if (code === 0) resolve(Buffer.from(output.trim(), 'base64').toString('utf8'));
            else reject(new ConfigurationError(`DPAPI could not decrypt the configuration (exit code ${code ?? 'none'}); it was protected on another machine or is damaged.`));
        });
        child.stdin.end(JSON.stringify({ protected: document.protected, entropy: document.entropy }));
    });

function parseJson(text: string, source: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch (error) {
        throw new ConfigurationError(`The agent configuration ${source} is not valid JSON.`, { cause: error });
    }
}

/** Reads the configuration file, plaintext JSON or DPAPI-protected, and validates it. */
export async function loadAgentConfig(path: string, unprotect: Unprotect = unprotectWithPowerShell): Promise<AgentConfig> {
    let text: string;
    try {
        text = await readFile(path, 'utf8');
    } catch (error) {
        throw new ConfigurationError(`The agent configuration ${path} cannot be read.`, { cause: error });
    }
    const raw = parseJson(text.replace(/^\uFEFF/, ''), path);
    const protectedDocument = protectedConfigSchema.safeParse(raw);
    if (!protectedDocument.success) return parseAgentConfig(raw, path);
    return parseAgentConfig(parseJson(await unprotect(protectedDocument.data), path), path);
}
