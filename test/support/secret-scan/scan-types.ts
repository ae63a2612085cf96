/** What a leaked value is. */
export type SecretKind = 'privateKey' | 'pfx' | 'pfxPassword' | 'sealedPrivateKey' | 'sasKey' | 'sasToken' | 'sharedSecret' | 'bearerToken';

/** Text something produced (a log, a history, an HTTP response, a file, a table row), named by where it came from. */
export interface Artifact {
    readonly source: string;
    readonly text: string;
}

/** A secret the world holds, searched for by value in every artifact. */
export interface KnownSecret {
    readonly kind: SecretKind;
    /** What it is, for the report (never the value). */
    readonly label: string;
    readonly value: string;
}

/** One leak: where, what kind, how it was recognised and at which character. Never the secret itself. */
export interface SecretFinding {
    readonly source: string;
    readonly kind: SecretKind;
    readonly how: string;
    readonly at: number;
}
