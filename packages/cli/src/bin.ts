/** The `vouch` executable. The only place in Vouch that calls `process.exit`. */
import { processIO } from './io.ts';
import { runCli } from './run.ts';

// git runs in its own process groups, which are stopped from an 'exit' handler; a Ctrl-C
// must therefore end this process through process.exit, or a clone would run on. The staged
// work left behind is settled by the next run or `vouch clean`.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
	process.on(signal, () => process.exit(signal === 'SIGINT' ? 130 : 143));
}

const code = await runCli(process.argv.slice(2), processIO());
// Let pending stdout writes drain before exiting (a pipe may be slower than we are).
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
