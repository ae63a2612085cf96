import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CmdletAnswer, CmdletErrorRecord, ExchangeCmdlets } from '../exchange-cmdlets';

/**
 * What a test makes one cmdlet call do instead of its normal answer, to prove how the scripts and
 * the host behave when Exchange does it.
 */
export type CmdletFault =
    /** An Exchange error record (non-terminating), e.g. in the server's language. */
    | { readonly kind: 'error'; readonly message: string; readonly exceptionType?: string; readonly errorId?: string }
    /** The remote session drops: WinRM's PSRemotingTransportException, as Invoke-Command reports it. */
    | { readonly kind: 'transport' }
    /** The cmdlet never returns (a hung RPC to a server). */
    | { readonly kind: 'hang' }
    /** The PowerShell process dies in the cmdlet. */
    | { readonly kind: 'crash' }
    /** The cmdlet works and writes a warning, as Exchange cmdlets do. */
    | { readonly kind: 'warning'; readonly message: string };

export interface DoubleCall {
    readonly cmdlet: string;
    /** Parameter names only: values can be secrets (Password, FileData). */
    readonly parameterNames: readonly string[];
    /** The ErrorAction the caller bound on the call, if any (Remote mode proxies need it). */
    readonly errorAction: string | null;
}

interface Reply extends CmdletAnswer {
    readonly control: 'hang' | 'crash' | null;
}

/** The JSON body the double posts for each cmdlet call. */
interface CallBody {
    readonly cmdlet: string;
    readonly parameters: Record<string, unknown>;
    readonly errorAction?: string | null;
}

const TRANSPORT: CmdletErrorRecord = {
    message:
        'Processing data from remote server failed with the following error message: The WinRM client cannot complete the operation within the time specified. For more information, see the about_Remote_Troubleshooting Help topic.',
    errorId: 'JobFailure',
    category: 'OpenError',
    target: null,
    exceptionType: 'System.Management.Automation.Remoting.PSRemotingTransportException',
};

/**
 * The loopback channel between the PowerShell double and the simulated organization: the double
 * posts each cmdlet call with its bound parameters, the organization answers. Only a caller with
 * the channel's token is served (the token reaches PowerShell through its environment).
 */
export class ExchangeDoubleChannel {
    readonly calls: DoubleCall[] = [];
    private readonly faults = new Map<string, CmdletFault[]>();

    private constructor(
        private readonly server: Server,
        readonly url: string,
        readonly token: string,
    ) {}

    static async open(cmdlets: ExchangeCmdlets): Promise<ExchangeDoubleChannel> {
        const token = randomBytes(24).toString('hex');
        const holder: { channel?: ExchangeDoubleChannel } = {};
        const server = createServer((request, response) => {
            const channel = holder.channel;
            if (channel === undefined) {
                response.writeHead(503).end();
                return;
            }
            channel.serve(cmdlets, request, response).catch((error: unknown) => {
                if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
                response.end(error instanceof Error ? error.message : String(error));
            });
        });
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(0, '127.0.0.1', () => resolve());
        });
        const { port } = server.address() as AddressInfo;
        holder.channel = new ExchangeDoubleChannel(server, `http://127.0.0.1:${port}/cmdlet`, token);
        return holder.channel;
    }

    /** The next `times` calls of `cmdlet` do `fault` instead of their normal answer. */
    inject(cmdlet: string, fault: CmdletFault, times = 1): void {
        const queue = this.faults.get(cmdlet.toLowerCase()) ?? [];
        for (let i = 0; i < times; i += 1) queue.push(fault);
        this.faults.set(cmdlet.toLowerCase(), queue);
    }

    /** The calls of one cmdlet, in order. */
    callsOf(cmdlet: string): DoubleCall[] {
        return this.calls.filter((call) => call.cmdlet.toLowerCase() === cmdlet.toLowerCase());
    }

    close(): Promise<void> {
        return new Promise((resolve) => {
            this.server.closeAllConnections();
            this.server.close(() => resolve());
        });
    }

    private async serve(cmdlets: ExchangeCmdlets, request: IncomingMessage, response: ServerResponse): Promise<void> {
        const expected = Buffer.from(`Bearer ${this.token}`);
        const given = Buffer.from(request.headers.authorization ?? '');
        if (request.method !== 'POST' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
            response.writeHead(401).end();
            return;
        }
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as CallBody;
        this.calls.push({ cmdlet: body.cmdlet, parameterNames: Object.keys(body.parameters).sort(), errorAction: body.errorAction ?? null });
        const reply = await this.answer(cmdlets, body);
        response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(reply));
    }

    private async answer(cmdlets: ExchangeCmdlets, body: CallBody): Promise<Reply> {
        const fault = this.faults.get(body.cmdlet.toLowerCase())?.shift();
        if (fault?.kind === 'hang' || fault?.kind === 'crash') return { output: [], errors: [], warnings: [], control: fault.kind };
        if (fault?.kind === 'transport') return { output: [], errors: [TRANSPORT], warnings: [], control: null };
        if (fault?.kind === 'error') {
            const record: CmdletErrorRecord = {
                message: fault.message,
                errorId: fault.errorId ?? `5A1B0C2D,Microsoft.Exchange.Management.${body.cmdlet.replace('-', '')}`,
                category: 'InvalidOperation',
                target: null,
                exceptionType: fault.exceptionType ?? 'System.InvalidOperationException',
            };
            return { output: [], errors: [record], warnings: [], control: null };
        }
        const answer = await cmdlets.invoke(body.cmdlet, body.parameters);
        return { ...answer, warnings: fault?.kind === 'warning' ? [...answer.warnings, fault.message] : answer.warnings, control: null };
    }
}
