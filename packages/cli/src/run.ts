/**
 * Runs one CLI invocation and returns its exit code (D16). Library code throws typed
 * errors; this is where they become a message, a hint and an exit code. A stack trace is
 * printed only for a genuine internal fault, never for a user mistake.
 */

import { ExitCode, isVouchError } from '@vouch/library/internal/core/errors';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { CommanderError } from 'commander';
import type { CliIO } from './io.ts';
import type { ErrorDocumentJson } from './json/error.ts';
import { terminalSafeJson } from './output.ts';
import { createProgram } from './program.ts';
import { createStyle, wantsColour } from './style.ts';

export interface RunState {
	exitCode: number;
}

export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
	const state: RunState = { exitCode: ExitCode.ok };
	// A copy: the global options (--quiet, --no-color) adjust it for this run only. The
	// descriptors are copied, not the values, so the lazy getters (stdin) stay lazy.
	const runIO = Object.defineProperties({}, Object.getOwnPropertyDescriptors(io)) as CliIO;
	try {
		const program = await createProgram(runIO, state, argv);
		await program.parseAsync([...argv], { from: 'user' });
		return state.exitCode;
	} catch (error) {
		return reportError(error, runIO, argv.includes('--json'));
	}
}

function reportError(error: unknown, io: CliIO, json: boolean): number {
	if (error instanceof CommanderError) {
		// Help and --version end through here too, with code 0; anything else is a usage error.
		if (error.exitCode === 0) return ExitCode.ok;
		if (json) writeJsonError(io, 'USAGE', error.message.replace(/^error: /, ''));
		return ExitCode.usage;
	}
	const style = createStyle(!json && wantsColour(io.env, io.stderrIsTTY));
	if (isVouchError(error)) {
		const message = sanitizeText(error.message, { multiline: true });
		const hint =
			error.hint === undefined ? undefined : sanitizeText(error.hint, { multiline: true });
		if (json) {
			writeJsonError(io, error.code, message, hint, error.details);
		} else {
			io.stderr.write(`${style.red('✗')} ${message}\n`);
			if (hint) io.stderr.write(`  ${style.dim('hint:')} ${hint}\n`);
			if (io.env.VOUCH_DEBUG && error.cause instanceof Error) {
				io.stderr.write(`${style.dim(sanitizeText(error.cause.stack, { multiline: true }))}\n`);
			}
		}
		return error.exitCode;
	}
	const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
	if (json) {
		writeJsonError(io, 'INTERNAL', sanitizeText(error instanceof Error ? error.message : detail));
	} else {
		io.stderr.write(
			`${style.red('✗')} Internal error: this is a bug in Vouch, please report it.\n`,
		);
		io.stderr.write(`${sanitizeText(detail, { multiline: true })}\n`);
	}
	return ExitCode.error;
}

function writeJsonError(
	io: CliIO,
	code: string,
	message: string,
	hint?: string,
	details?: Record<string, unknown>,
): void {
	const document: ErrorDocumentJson = {
		ok: false,
		error: {
			code,
			message,
			...(hint === undefined ? {} : { hint }),
			...(details === undefined ? {} : { details }),
		},
	};
	io.stdout.write(`${terminalSafeJson(document)}\n`);
}
