/**
 * Real git repositories for tests. Every git run here uses a fixed identity and fixed,
 * increasing dates, and ignores the user's global and system configuration, so the same
 * steps give the same commit ids on every machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeTempDir } from './temp.ts';

/** A v4 UUID with enough entropy to pass manifest validation. */
export const TEST_PLUGIN_UUID = '5b8c2f4e-9d31-4a7b-b6e0-2c7f13a9d845';

const FIRST_DATE_SECONDS = 1_700_000_000;

/** The environment every test git run gets: no user config, a fixed identity, no prompts. */
export function testGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = { ...process.env };
	for (const name of Object.keys(env)) {
		// A surrounding git (a hook running the suite, say) must not redirect these runs.
		if (name.startsWith('GIT_')) delete env[name];
	}
	return {
		...env,
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
		GIT_AUTHOR_NAME: 'Test Author',
		GIT_AUTHOR_EMAIL: 'author@example.invalid',
		GIT_COMMITTER_NAME: 'Test Committer',
		GIT_COMMITTER_EMAIL: 'committer@example.invalid',
		GIT_TERMINAL_PROMPT: '0',
		LC_ALL: 'C',
		...extra,
	};
}

/** Runs git in `cwd` with the test environment; returns stdout without the final newline. */
export function runTestGit(
	cwd: string,
	args: readonly string[],
	extraEnv: Record<string, string> = {},
): string {
	const out = execFileSync('git', args, {
		cwd,
		env: testGitEnv(extraEnv),
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return out.replace(/\n$/, '');
}

/** A valid MANIFEST.toml; `extra` lines are appended (tables, optional keys). */
export function manifestToml(
	fields: { uuid?: string; name?: string; description?: string; api?: string[] } = {},
	extra = '',
): string {
	const api = (fields.api ?? ['3.0']).map((version) => JSON.stringify(version)).join(', ');
	return [
		`uuid = ${JSON.stringify(fields.uuid ?? TEST_PLUGIN_UUID)}`,
		`name = ${JSON.stringify(fields.name ?? 'Example Plugin')}`,
		`description = ${JSON.stringify(fields.description ?? 'Does one thing well')}`,
		`api = [${api}]`,
		extra,
	].join('\n');
}

/** File path (relative, `/`-separated) → content; `null` deletes the file. */
export type FileChanges = Readonly<Record<string, string | null>>;

export interface TestRepo {
	/** The working tree (or the repository itself when bare). */
	readonly dir: string;
	/** `file://` URL of the repository. */
	readonly url: string;
	/** Runs git here; returns trimmed stdout. */
	git(args: readonly string[]): string;
	/** Writes (or deletes) files, stages everything and commits; returns the commit id. */
	commit(files: FileChanges, message?: string): string;
	/** A lightweight tag, or an annotated one with a message; returns the tag's own id. */
	tag(name: string, options?: { message?: string; target?: string }): string;
	/** Creates a branch at `from` (default HEAD) without switching to it. */
	branch(name: string, from?: string): void;
	/** Switches the working tree to a branch. */
	switchTo(name: string): void;
	/** The commit id of `rev` (default HEAD). */
	commitOf(rev?: string): string;
}

export interface CreateRepoOptions {
	/** Files of the first commit. Omit for a repository without commits. */
	files?: FileChanges;
	/** Name of the initial branch. Default `main`. */
	branch?: string;
	/** Directory to create the repository in (default: a new temp dir). */
	dir?: string;
}

export function createRepo(options: CreateRepoOptions = {}): TestRepo {
	const dir = options.dir ?? join(makeTempDir('vouch-repo-'), 'repo');
	mkdirSync(dir, { recursive: true });
	runTestGit(dir, ['init', '-q', '-b', options.branch ?? 'main']);
	let commits = 0;
	const dated = (): Record<string, string> => {
		// One minute apart: distinct, ordered, and the same on every run.
		const date = `@${FIRST_DATE_SECONDS + commits * 60} +0000`;
		return { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
	};
	const repo: TestRepo = {
		dir,
		url: pathToFileURL(dir).href,
		git: (args) => runTestGit(dir, args),
		commit(files, message = `commit ${commits + 1}`) {
			writeFiles(dir, files);
			runTestGit(dir, ['add', '-A']);
			runTestGit(dir, ['commit', '-q', '--allow-empty', '-m', message], dated());
			commits++;
			return repo.commitOf();
		},
		tag(name, tagOptions = {}) {
			const target = tagOptions.target ?? 'HEAD';
			if (tagOptions.message === undefined) {
				runTestGit(dir, ['tag', name, target]);
			} else {
				runTestGit(dir, ['tag', '-a', '-m', tagOptions.message, name, target], dated());
			}
			return runTestGit(dir, ['rev-parse', `refs/tags/${name}`]);
		},
		branch(name, from = 'HEAD') {
			runTestGit(dir, ['branch', name, from]);
		},
		switchTo(name) {
			runTestGit(dir, ['checkout', '-q', name]);
		},
		commitOf(rev = 'HEAD') {
			return runTestGit(dir, ['rev-parse', '--verify', `${rev}^{commit}`]);
		},
	};
	if (options.files !== undefined) repo.commit(options.files, 'initial commit');
	return repo;
}

/** A repository holding a valid MANIFEST.toml and one code file, in one commit. */
export function createPluginRepo(
	options: CreateRepoOptions & { manifest?: string } = {},
): TestRepo {
	return createRepo({
		...options,
		files: {
			'MANIFEST.toml': options.manifest ?? manifestToml(),
			'__init__.py': 'def enable(api):\n    pass\n',
			...options.files,
		},
	});
}

/**
 * A bare copy of `source` at `<root>/<name>`, the layout the test HTTP server serves.
 * Returns the bare repository's path.
 */
export function bareClone(source: TestRepo, root: string, name: string): string {
	const path = join(root, name);
	mkdirSync(dirname(path), { recursive: true });
	runTestGit(root, ['clone', '-q', '--bare', '--no-local', source.dir, path]);
	return path;
}

function writeFiles(dir: string, files: FileChanges): void {
	for (const [relative, content] of Object.entries(files)) {
		const path = join(dir, ...relative.split('/'));
		if (content === null) {
			rmSync(path, { force: true });
			continue;
		}
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, content);
	}
}
