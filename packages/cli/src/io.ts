/**
 * Everything the CLI touches in the outside world, passed in so that tests drive the
 * real commands in-process with captured streams and a controlled environment.
 */
import { isatty } from 'node:tty';

export interface TextSink {
	write(text: string): unknown;
}

export interface CliIO {
	stdout: TextSink;
	stderr: TextSink;
	env: NodeJS.ProcessEnv;
	cwd: string;
	/** Whether stdout is a terminal: enables colour and, on stderr, spinners. */
	stdoutIsTTY: boolean;
	stderrIsTTY: boolean;
	/** The terminal's width, when stderr is one: a spinner line must not wrap. */
	stderrColumns?: number;
	fetch: typeof fetch;
	now: () => Date;
	/** Where answers to prompts come from; absent means nobody can answer. */
	stdin?: NodeJS.ReadableStream;
	/** Prompts are shown only when a person is at a terminal (D12). */
	stdinIsTTY?: boolean;
	/** How much the person asked to see (`--quiet`, `--verbose`); normal when absent. */
	verbosity?: Verbosity;
}

export type Verbosity = 'quiet' | 'normal' | 'verbose';

export function processIO(): CliIO {
	return {
		stdout: process.stdout,
		stderr: process.stderr,
		env: process.env,
		cwd: process.cwd(),
		stdoutIsTTY: process.stdout.isTTY === true,
		stderrIsTTY: process.stderr.isTTY === true,
		...(process.stderr.columns === undefined ? {} : { stderrColumns: process.stderr.columns }),
		// Node builds its fetch (undici) and stdin on first access, which costs more than some
		// whole commands; neither is touched until a command really uses it.
		fetch: (input, init) => globalThis.fetch(input, init),
		now: () => new Date(),
		get stdin() {
			return process.stdin;
		},
		stdinIsTTY: isatty(0),
	};
}
