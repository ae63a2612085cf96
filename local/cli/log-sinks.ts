import type { LogSink } from '../../lib/logger';
import type { CliStream } from '../../cli/cli-io';

/** The local host's function logs as JSON lines on a stream. */
export function streamLogSink(stream: CliStream): LogSink {
    return (record) => {
        stream.write(`${JSON.stringify(record)}\n`);
    };
}
