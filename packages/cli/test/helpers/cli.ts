/** Runs the real CLI in-process with captured output and a controlled environment. */
import { Readable } from 'node:stream';
import { runCli } from '../../src/run.ts';

export interface CliRun {
	code: number;
	stdout: string;
	stderr: string;
}

/**
 * The CLI's clock in tests unless one is given: fixed, so that no test depends on the real
 * date. File times a test compares with it are set from it with `utimes`.
 */
export const CLI_TEST_NOW = new Date('2026-11-28T12:00:00Z');

export interface CliRunOptions {
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	stdoutIsTTY?: boolean;
	stderrIsTTY?: boolean;
	fetch?: typeof fetch;
	/** Answers typed at the prompts; given, stdin counts as a terminal. */
	stdin?: string;
	now?: () => Date;
}

export async function runVouch(argv: string[], options: CliRunOptions = {}): Promise<CliRun> {
	let stdout = '';
	let stderr = '';
	const code = await runCli(argv, {
		stdout: { write: (text: string) => (stdout += text) },
		stderr: { write: (text: string) => (stderr += text) },
		// A fixed HOME keeps a developer's own profile and XDG settings out of the tests.
		env: { HOME: '/nonexistent-home', ...options.env },
		cwd: options.cwd ?? process.cwd(),
		stdoutIsTTY: options.stdoutIsTTY ?? false,
		stderrIsTTY: options.stderrIsTTY ?? false,
		fetch:
			options.fetch ??
			(async () => {
				throw new Error('tests must not reach the network');
			}),
		now: options.now ?? (() => CLI_TEST_NOW),
		...(options.stdin === undefined
			? {}
			: { stdin: Readable.from([options.stdin]), stdinIsTTY: true }),
	});
	return { code, stdout, stderr };
}

export function parseJson(run: CliRun): Record<string, unknown> {
	return JSON.parse(run.stdout) as Record<string, unknown>;
}
