/** Adds the command line as one string, for readable it.each titles ("$line"). */
export function withLine<T extends { readonly argv: readonly string[] }>(row: T): T & { readonly line: string } {
    return { ...row, line: row.argv.join(' ') };
}
