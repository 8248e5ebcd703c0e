/** The `vouch` executable. The only place in Vouch that calls `process.exit`. */
import { processIO } from './io.ts';
import { runCli } from './run.ts';

const code = await runCli(process.argv.slice(2), processIO());
// Let pending stdout writes drain before exiting (a pipe may be slower than we are).
process.exitCode = code;
process.stdout.write('', () => process.exit(code));
