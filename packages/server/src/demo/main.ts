/**
 * The process behind `npm start`: runs the demo until Ctrl+C. Flags: `--data-dir <dir>`
 * (default `.vouch-demo` in the working directory, or $VOUCH_DEMO_DIR) and `--port <n>`
 * (default 8470, or $VOUCH_DEMO_PORT). A user mistake prints a message and a hint, never a
 * stack trace.
 */
import { resolve } from 'node:path';
import { isVouchError } from '@vouch/library/internal/core/errors';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { DEFAULT_DEMO_PORT, runDemo } from './run-demo.ts';

const DEFAULT_DATA_DIR = '.vouch-demo';

function flag(name: string): string | undefined {
	const index = process.argv.indexOf(name);
	return index === -1 ? undefined : process.argv[index + 1];
}

async function main(): Promise<number> {
	const dataDir = resolve(flag('--data-dir') ?? process.env.VOUCH_DEMO_DIR ?? DEFAULT_DATA_DIR);
	const portText = flag('--port') ?? process.env.VOUCH_DEMO_PORT ?? String(DEFAULT_DEMO_PORT);
	const port = Number(portText);
	if (!/^\d{1,5}$/.test(portText) || port > 65_535) {
		process.stderr.write(`error: --port ${sanitizeText(portText)} is not a TCP port.\n`);
		return 2;
	}
	const demo = await runDemo({
		dataDir,
		port,
		progress: (line) => process.stderr.write(`${line}\n`),
	});
	process.stdout.write(`\n${demo.instructions}`);
	await new Promise<void>((resolveStop) => {
		process.once('SIGINT', () => resolveStop());
		process.once('SIGTERM', () => resolveStop());
	});
	process.stderr.write('Stopping…\n');
	await demo.close();
	return 0;
}

main().then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		if (isVouchError(error)) {
			process.stderr.write(`error: ${sanitizeText(error.message)}\n`);
			if (error.hint !== undefined) process.stderr.write(`hint: ${sanitizeText(error.hint)}\n`);
		} else {
			process.stderr.write(
				`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
			);
		}
		process.exitCode = 1;
	},
);
