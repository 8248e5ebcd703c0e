/** Drives `vouch-server` in-process with captured output, as the CLI's own tests drive `vouch`. */
import type { ServerCliIO } from '../../src/cli/io.ts';
import { runServerCli } from '../../src/cli/run.ts';

export interface CliRun {
	code: number;
	stdout: string;
	stderr: string;
}

export async function runServer(
	argv: string[],
	options: {
		cwd: string;
		stdin?: string;
		env?: Record<string, string>;
		untilStopped?: () => Promise<void>;
		onStdout?: (text: string) => void;
	},
): Promise<CliRun> {
	let stdout = '';
	let stderr = '';
	const io: ServerCliIO = {
		stdout: {
			write(text: string) {
				stdout += text;
				options.onStdout?.(text);
				return true;
			},
		},
		stderr: {
			write(text: string) {
				stderr += text;
				return true;
			},
		},
		readStdin: async () => options.stdin ?? '',
		env: options.env ?? {},
		cwd: options.cwd,
		untilStopped: options.untilStopped ?? (() => Promise.resolve()),
	};
	const code = await runServerCli(argv, { io, clock: () => new Date('2026-06-01T12:00:00Z') });
	return { code, stdout, stderr };
}
