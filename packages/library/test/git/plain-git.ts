/**
 * Plain git, without Vouch's hardening, for the control half of security tests: it shows that
 * the attack in a test really works against git, so the test fails if the hardening goes.
 * Asynchronous, because the HTTP test servers run in this same process.
 */
import { execFile } from 'node:child_process';
import { testGitEnv } from '../helpers/git-repos.ts';

export interface PlainGitResult {
	exitCode: number;
	stdout: string;
	stderr: string;
}

export function plainGit(
	cwd: string,
	args: readonly string[],
	extraEnv: Record<string, string> = {},
): Promise<PlainGitResult> {
	return new Promise((resolve) => {
		execFile(
			'git',
			args,
			{ cwd, env: testGitEnv(extraEnv), encoding: 'utf8' },
			(error, stdout, stderr) => {
				const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
				resolve({ exitCode: code, stdout, stderr });
			},
		);
	});
}
