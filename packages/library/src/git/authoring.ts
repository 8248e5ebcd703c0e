/**
 * Writing history, for the few places Vouch makes repositories of its own (the demo ecosystem
 * behind `npm start`): start a repository, commit its working tree, tag a release and make the
 * bare copy a server publishes. Everything else in `src/git` only reads what others wrote.
 *
 * Same rules as every other git run: argv only, refs checked before git starts, the hardened
 * environment and configuration, a time limit. The author and the dates are parameters, so the
 * same steps give the same commit ids on every machine, and no user configuration (a signing
 * key, a hook, a template) takes part.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, parse as parsePath } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import { assertRefName } from './arguments.ts';
import { gitFailureError } from './classify.ts';
import { gitEnvironment } from './environment.ts';
import { gitError } from './errors.ts';
import { ProcessGroups, type RunResult, runGit } from './run.ts';

export interface GitIdentity {
	name: string;
	email: string;
}

export interface GitAuthoringOptions {
	/** Who commits and tags. */
	identity: GitIdentity;
	/** The environment git starts from. Default `process.env`; user config is never read. */
	env?: Readonly<Record<string, string | undefined>>;
	gitBinary?: string;
	/** Time limit of each git process. Default 30 s. */
	timeoutMs?: number;
}

export interface GitAuthoring {
	/** A new repository with a working tree at `dir` (absolute), on branch `branch`. */
	init(dir: string, branch: string): Promise<void>;
	/** Stages every file of the working tree and commits it at `date`; returns the commit id. */
	commitAll(dir: string, message: string, date: Date): Promise<string>;
	/** An annotated tag on HEAD; returns the commit it names. */
	tag(dir: string, name: string, message: string, date: Date): Promise<string>;
	/** A bare copy of the repository at `dir`, written to `target` (absolute, must not exist). */
	bareCopy(dir: string, target: string): Promise<void>;
}

const MAX_OUTPUT_BYTES = 1024 * 1024;

export function createGitAuthoring(options: GitAuthoringOptions): GitAuthoring {
	const base = options.env ?? process.env;
	const env: Record<string, string> = {
		...gitEnvironment(base, { allowInsecureTransport: false }),
		// Only what is given here decides the result: no global or system config, and so no
		// signing key, hook path or commit template of whoever runs it.
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
		GIT_AUTHOR_NAME: options.identity.name,
		GIT_AUTHOR_EMAIL: options.identity.email,
		GIT_COMMITTER_NAME: options.identity.name,
		GIT_COMMITTER_EMAIL: options.identity.email,
	};
	const groups = new ProcessGroups();
	const timeoutMs = options.timeoutMs ?? 30_000;

	const run = async (
		cwd: string,
		args: readonly string[],
		action: string,
		extraEnv: Record<string, string> = {},
	): Promise<RunResult> => {
		const result = await runGit({
			gitBinary: options.gitBinary ?? 'git',
			args,
			cwd,
			env: { ...env, ...extraEnv },
			timeoutMs,
			maxStdoutBytes: MAX_OUTPUT_BYTES,
			maxStderrBytes: MAX_OUTPUT_BYTES,
			action,
			groups,
		});
		if (result.exitCode !== 0) throw gitFailureError(action, result);
		return result;
	};
	// The repository is always named, so git never walks up into an enclosing one.
	const inRepo = (dir: string) => [`--git-dir=${join(dir, '.git')}`, `--work-tree=${dir}`];
	const dated = (date: Date): Record<string, string> => {
		const seconds = Math.floor(date.getTime() / 1000);
		if (!Number.isFinite(seconds)) throw gitError('GIT_INVALID_ARGUMENT', 'Not a valid date.');
		const stamp = `@${seconds} +0000`;
		return { GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp };
	};
	const absolute = (path: string): string => {
		if (!isAbsolute(path)) {
			throw gitError('GIT_INVALID_ARGUMENT', `Not an absolute path: ${sanitizeText(path)}.`);
		}
		return path;
	};

	return {
		async init(dir, branch) {
			assertRefName(branch);
			await mkdir(absolute(dir), { recursive: true });
			await run(
				dir,
				['init', '-q', `--initial-branch=${branch}`, '--', dir],
				'creating a repository',
			);
		},
		async commitAll(dir, message, date) {
			await run(dir, [...inRepo(absolute(dir)), 'add', '-A'], 'staging files');
			await run(
				dir,
				[
					...inRepo(dir),
					'commit',
					'-q',
					'--no-verify',
					'--no-gpg-sign',
					'--allow-empty',
					'-m',
					message,
				],
				'committing',
				dated(date),
			);
			return revParse(dir);
		},
		async tag(dir, name, message, date) {
			assertRefName(name);
			await run(
				dir,
				[...inRepo(absolute(dir)), 'tag', '-a', '--no-sign', '-m', message, '--', name, 'HEAD'],
				'tagging a release',
				dated(date),
			);
			return revParse(dir);
		},
		async bareCopy(dir, target) {
			await mkdir(dirname(absolute(target)), { recursive: true });
			await run(
				parsePath(absolute(dir)).root,
				['clone', '-q', '--bare', '--no-local', '--', dir, target],
				'making a bare copy',
			);
		},
	};

	async function revParse(dir: string): Promise<string> {
		const result = await run(
			dir,
			[...inRepo(dir), 'rev-parse', '--verify', 'HEAD^{commit}'],
			'reading a commit id',
		);
		return result.stdout.toString('utf8').trim();
	}
}
