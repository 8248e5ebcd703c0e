/** Runs one `vouch-server` invocation and returns its exit code; errors become a message and a hint. */
import { isVouchError } from '@vouch/library/internal/core/errors';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { CommanderError } from 'commander';
import type { ServerCliIO } from './io.ts';
import { createProgram, type ProgramContext } from './program.ts';

export async function runServerCli(
	argv: readonly string[],
	context: ProgramContext,
): Promise<number> {
	const { io } = context;
	const wantsJson = argv.includes('--json');
	try {
		await createProgram(context).parseAsync([...argv], { from: 'user' });
		return 0;
	} catch (error) {
		if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
		return report(error, io, wantsJson);
	}
}

function report(error: unknown, io: ServerCliIO, wantsJson: boolean): number {
	if (isVouchError(error)) {
		const message = sanitizeText(error.message, { multiline: true });
		const hint =
			error.hint === undefined ? undefined : sanitizeText(error.hint, { multiline: true });
		if (wantsJson) {
			io.stdout.write(
				`${JSON.stringify({ error: { code: error.code, message, ...(hint === undefined ? {} : { hint }) } })}\n`,
			);
		} else {
			io.stderr.write(`error: ${message}\n`);
			if (hint !== undefined) io.stderr.write(`hint: ${hint}\n`);
		}
		return error.exitCode;
	}
	// An internal fault: the whole story, for a bug report.
	io.stderr.write(
		`internal error: ${sanitizeText(error instanceof Error ? (error.stack ?? error.message) : String(error), { multiline: true })}\n`,
	);
	return 1;
}
