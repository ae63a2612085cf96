import type { ExchangeShell } from '../../../agent/exchange-shell';
import { MemoryLogSink } from '../../../lib/logger';
import type { LocalStack, LocalStackOptions } from '../../../local/stack/local-stack';
import { recordHttpResponses } from './http-recorder';
import { PasswordWitnessShell } from './password-witness';
import { describeFindings, scanForSecrets } from './secret-scan';
import { worldArtifacts, worldSecrets, type WorldRecordings } from './world-artifacts';

/**
 * What a world produces beyond its stores, recorded for the secret scan: log records, HTTP answers
 * and the PFX passwords handed to Exchange. Create it before the world, start the world with
 * `options()`, then `attach` the started stack.
 */
export class WorldRecorder {
    private stack: LocalStack | undefined;
    private readonly witness: { shell?: PasswordWitnessShell } = {};
    readonly recordings: WorldRecordings;

    constructor() {
        const witness = this.witness;
        this.recordings = {
            logs: new MemoryLogSink(),
            http: recordHttpResponses(() => this.stack?.baseUrl),
            get pfxPasswords() {
                return witness.shell?.passwords ?? [];
            },
        };
    }

    /** The stack options that record: the log sink, and the password witness around the shell (`wrap` goes around it). */
    options(wrap: (shell: ExchangeShell) => ExchangeShell = (shell) => shell): Pick<LocalStackOptions, 'logSink' | 'wrapShell'> {
        return {
            logSink: this.recordings.logs.sink,
            wrapShell: (shell) => {
                this.witness.shell = new PasswordWitnessShell(shell);
                return wrap(this.witness.shell);
            },
        };
    }

    attach(stack: LocalStack): LocalStack {
        this.stack = stack;
        return stack;
    }

    /** Secrets found in everything the attached world produced, one line each (empty when clean). */
    async leaks(): Promise<string[]> {
        if (this.stack === undefined) throw new Error('no world attached to the recorder');
        const findings = scanForSecrets(await worldArtifacts(this.stack, this.recordings), worldSecrets(this.stack, this.recordings));
        return findings.length === 0 ? [] : describeFindings(findings).split('\n').map((line) => `secret found: ${line}`);
    }
}
