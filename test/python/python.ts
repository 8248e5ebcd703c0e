/**
 * Runs python3 for the Python adapter's tests. Asynchronous on purpose: the slow tests serve git
 * over HTTP from this same process, and a blocking spawn would starve that server.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PYTHON_DIR = join(ROOT, 'python');
export const VOUCH_BIN = join(ROOT, 'packages', 'cli', 'bin', 'vouch.js');

export interface PythonRun {
	code: number | null;
	/** Set when python3 itself could not be started (not installed). */
	spawnError?: string;
	stdout: string;
	stderr: string;
}

export function runPython(
	args: string[],
	options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<PythonRun> {
	return new Promise((resolve) => {
		const child = spawn('python3', args, {
			cwd: options.cwd ?? PYTHON_DIR,
			// No bytecode caches in the source tree; the adapter's own directory on the path.
			env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: PYTHON_DIR, ...options.env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		child.on('error', (error) =>
			resolve({ code: null, spawnError: error.message, stdout, stderr }),
		);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}

/** A message for a failed assertion: everything python printed. */
export function describeRun(run: PythonRun): string {
	return `${run.spawnError ?? ''}\n${run.stdout}\n${run.stderr}`;
}
