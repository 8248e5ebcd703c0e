/** The streams and environment of one `vouch-server` run; tests pass their own. */
export interface ServerCliIO {
	stdout: { write(text: string): unknown };
	stderr: { write(text: string): unknown };
	/** The whole of standard input (for `--password-stdin`, `import -`). */
	readStdin(): Promise<string>;
	env: Readonly<Record<string, string | undefined>>;
	cwd: string;
	/** Resolves when `serve` should stop: SIGINT or SIGTERM in the real process. */
	untilStopped(): Promise<void>;
}

const MAX_STDIN_BYTES = 4 * 1024 * 1024;

export function processIO(): ServerCliIO {
	return {
		stdout: process.stdout,
		stderr: process.stderr,
		async readStdin() {
			const chunks: Buffer[] = [];
			let size = 0;
			for await (const chunk of process.stdin) {
				const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
				size += buffer.length;
				if (size > MAX_STDIN_BYTES) throw new Error('standard input is too large');
				chunks.push(buffer);
			}
			return Buffer.concat(chunks).toString('utf8');
		},
		env: process.env,
		cwd: process.cwd(),
		untilStopped: () =>
			new Promise((resolve) => {
				process.once('SIGINT', () => resolve());
				process.once('SIGTERM', () => resolve());
			}),
	};
}
