/**
 * The world the lifecycle benchmarks act on: real plugin repositories served by git's smart
 * HTTP protocol on 127.0.0.1, host profiles in a temp directory, a registry file, and the CLI's
 * own wiring (`lifecycleContext`) around them. Nothing here reaches beyond loopback: the
 * registry is a local file and the CLI's fetch refuses every call.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CliIO } from '../packages/cli/src/io.ts';
import { type LifecycleContext, lifecycleContext } from '../packages/cli/src/lifecycle-context.ts';
import { createOutput } from '../packages/cli/src/output.ts';
import { canonicalUrl } from '../packages/library/src/core/canonical-url.ts';
import { generatePluginUuid } from '../packages/library/src/core/uuid.ts';
import type {
	InstalledPlugin,
	PluginStore,
	TreeDigest,
} from '../packages/library/src/lifecycle/store/index.ts';
import {
	type GitHttpServer,
	startGitHttpServer,
} from '../packages/library/test/helpers/git-http-server.ts';
import {
	bareClone,
	createRepo,
	manifestToml,
	type TestRepo,
	testGitEnv,
} from '../packages/library/test/helpers/git-repos.ts';

export interface BenchWorld {
	root: string;
	server: GitHttpServer;
	/** Removes everything: the server, the repositories, every profile. */
	close(): Promise<void>;
}

export interface ServedRepo {
	name: string;
	uuid: string;
	repo: TestRepo;
	/** The bare repository the server serves. */
	bare: string;
	url: string;
}

/** A fresh host profile, all its directories under `root`. */
export interface BenchProfile {
	root: string;
	io: CliIO;
	registryFile: string;
}

export async function createBenchWorld(
	prefix: string,
	options: { latencyMs?: number } = {},
): Promise<BenchWorld> {
	const root = mkdtempSync(join(tmpdir(), prefix));
	try {
		const server = await startGitHttpServer({
			root: join(root, 'served'),
			...(options.latencyMs === undefined ? {} : { latencyMs: options.latencyMs }),
		});
		return {
			root,
			server,
			async close() {
				await server.close();
				rmSync(root, { recursive: true, force: true });
			},
		};
	} catch (error) {
		rmSync(root, { recursive: true, force: true });
		throw error;
	}
}

/**
 * The files of a plugin of `count` files: the manifest, the entry point, and modules spread
 * over a few packages, each a couple of kilobytes, so the tree looks like real code.
 */
export function pluginTree(name: string, uuid: string, count: number): Record<string, string> {
	const files: Record<string, string> = {
		'MANIFEST.toml': manifestToml({ uuid, name, description: `Benchmark plugin ${name}` }),
		'__init__.py': 'from .pkg0 import mod0\n\ndef enable(api):\n    mod0.run(api)\n',
	};
	for (let i = 0; i < count - 2; i++) {
		const body = Array.from(
			{ length: 40 },
			(_, line) => `    value_${line} = ${i * 1000 + line}  # ${name} module ${i}\n`,
		).join('');
		files[`pkg${i % 8}/mod${i}.py`] = `def run(api):\n${body}    return value_0\n`;
	}
	return files;
}

/** Writes a tree of files (relative `/`-separated path → content) under `root`. */
export function writeTree(root: string, files: Readonly<Record<string, string>>): void {
	for (const [relative, content] of Object.entries(files)) {
		const path = join(root, ...relative.split('/'));
		mkdirSync(dirname(path), { recursive: true });
		writeFileSync(path, content);
	}
}

/** A plugin repository of `fileCount` files, one commit, served at `<server>/<name>.git`. */
export function servePlugin(world: BenchWorld, name: string, fileCount: number): ServedRepo {
	const uuid = generatePluginUuid();
	const repo = createRepo({
		dir: join(world.root, 'work', name),
		files: pluginTree(name, uuid, fileCount),
	});
	const bare = bareClone(repo, join(world.root, 'served'), `${name}.git`);
	return { name, uuid, repo, bare, url: `${world.server.url}/${name}.git` };
}

/** Commits a change and pushes it to the served copy: the remote is then one commit ahead. */
export function publishNewCommit(plugin: ServedRepo): string {
	const commit = plugin.repo.commit({ 'CHANGELOG.md': `# ${plugin.name}\n\n- a newer release\n` });
	plugin.repo.git(['push', '-q', plugin.bare, 'HEAD:refs/heads/main']);
	return commit;
}

/**
 * A new profile directory with its own XDG tree and registry file. The environment carries no
 * user configuration: git reads no global config, and no registry comes from the network.
 */
export function createProfile(parent: string, label: string, registry: unknown[] = []) {
	const root = join(parent, 'profiles', label);
	mkdirSync(root, { recursive: true });
	const registryFile = join(root, 'plugins.json');
	writeFileSync(registryFile, JSON.stringify({ api_version: '3.0', plugins: registry }));
	const env: NodeJS.ProcessEnv = {
		HOME: join(root, 'home'),
		XDG_DATA_HOME: join(root, 'data'),
		XDG_CACHE_HOME: join(root, 'cache'),
		XDG_CONFIG_HOME: join(root, 'config'),
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
		PATH: process.env.PATH ?? '/usr/bin:/bin',
	};
	const io: CliIO = {
		stdout: { write: () => true },
		stderr: { write: () => true },
		env,
		cwd: root,
		stdoutIsTTY: false,
		stderrIsTTY: false,
		fetch: async () => {
			throw new Error('the lifecycle benchmark never leaves this machine');
		},
		now: () => new Date(),
	};
	return { root, io, registryFile } satisfies BenchProfile;
}

/** What `vouch <command> --registry <file> --json` builds before it acts, built the same way. */
export function profileContext(profile: BenchProfile): Promise<LifecycleContext> {
	return lifecycleContext(
		{ registry: profile.registryFile, json: true },
		profile.io,
		createOutput(profile.io, true),
	);
}

/** A registry entry in the file format. */
export function registryEntry(
	plugin: { name: string; uuid: string; url: string },
	trustLevel: 'official' | 'trusted' | 'community',
): Record<string, unknown> {
	return {
		id: plugin.name,
		uuid: plugin.uuid,
		name: plugin.name,
		description: `The ${plugin.name} benchmark plugin`,
		git_url: plugin.url,
		categories: ['metadata'],
		trust_level: trustLevel,
		authors: ['Benchmark Author'],
	};
}

/**
 * The store entry install would have written for a plugin on branch `main` at `commit`, for
 * benchmarks that set up many plugins without running many installs.
 */
export function installedRecord(input: {
	name: string;
	uuid: string;
	url: string;
	commit: string;
	directory: string;
	digest: TreeDigest;
	trust: InstalledPlugin['trustAtInstall'];
}): InstalledPlugin {
	const at = new Date().toISOString();
	return {
		uuid: input.uuid,
		name: input.name,
		directory: input.directory,
		source: {
			kind: 'git',
			url: input.url,
			canonicalUrl: canonicalUrl(input.url),
			ref: 'main',
			refType: 'branch',
			commit: input.commit,
		},
		trustAtInstall: input.trust,
		apiVersions: ['3.0'],
		capabilities: { status: 'undeclared' },
		files: input.digest.files,
		treeDigest: input.digest.treeDigest,
		state: 'active',
		installedAt: at,
		updatedAt: at,
	};
}

/** Records the plugins as installed and enabled, in one transaction. */
export function recordInstalled(store: PluginStore, records: readonly InstalledPlugin[]) {
	return store.transaction(async (state) => {
		for (const record of records) {
			state.plugins[record.uuid] = record;
			state.enabled.push(record.uuid);
		}
	});
}

/**
 * Plain `git clone --depth 1` of one branch, as a user would type it. Asynchronous: the server
 * answering it runs in this process, so a synchronous child would wait for itself forever.
 */
export function plainClone(url: string, branch: string, dest: string): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile(
			'git',
			['clone', '-q', '--depth', '1', '--single-branch', '--branch', branch, url, dest],
			{ env: testGitEnv() },
			(error) => (error === null ? resolve() : reject(error)),
		);
	});
}

/** Milliseconds taken by async `work`, with its value. */
export async function timedAsync<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
	const start = process.hrtime.bigint();
	const value = await work();
	return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] as number;
}
