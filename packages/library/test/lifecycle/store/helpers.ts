/**
 * Shared pieces for the store tests: a fresh data and plugins directory per test, valid
 * plugin records, trees of real files, and a runner for the worker script in child processes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import {
	existsSync,
	lstatSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	readlinkSync,
	writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVouchError } from '../../../src/core/errors.ts';
import {
	BACKUP_DIR,
	createPluginFiles,
	digestTree,
	type InstalledPlugin,
	openStore,
	type PluginFiles,
	type PluginStore,
	STAGING_DIR,
} from '../../../src/lifecycle/store/index.ts';
import { childNodeArgv } from '../../helpers/child-entry.ts';
import { makeTempDir } from '../../helpers/temp.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const WORKER = new URL('./worker.ts', import.meta.url);

/**
 * The one clock of the store tests: quarantine paths are predictable, and every file age a
 * test depends on is set from it with `utimes`, never left to the kernel's stamp.
 */
export const FIXED_NOW = new Date('2030-01-02T03:04:05.678Z');

export interface StoreWorld {
	root: string;
	dataDir: string;
	pluginsDir: string;
	statePath: string;
	store: PluginStore;
	files: PluginFiles;
}

export function storeWorld(options: { lockTimeoutMs?: number } = {}): StoreWorld {
	const root = makeTempDir('vouch-store-');
	const dataDir = join(root, 'data');
	const pluginsDir = join(root, 'plugins');
	mkdirSync(pluginsDir);
	return {
		root,
		dataDir,
		pluginsDir,
		statePath: join(dataDir, 'state.json'),
		store: openStore({ dataDir, now: () => FIXED_NOW, ...options }),
		files: createPluginFiles({ pluginsDir, dataDir, now: () => FIXED_NOW }),
	};
}

/** A record that passes the state schema; `directory` defaults to `<name>_<uuid>`. */
export function pluginRecord(
	uuid: string,
	overrides: Partial<InstalledPlugin> = {},
): InstalledPlugin {
	const name = overrides.name ?? `plugin-${uuid.slice(0, 8)}`;
	return {
		uuid,
		name,
		directory: `${name}_${uuid}`,
		source: {
			kind: 'git',
			url: `https://example.invalid/${name}.git`,
			canonicalUrl: `https://example.invalid/${name}`,
			ref: 'main',
			refType: 'branch',
			commit: 'a'.repeat(40),
		},
		trustAtInstall: 'community',
		apiVersions: ['3.0'],
		capabilities: { status: 'undeclared' },
		files: {},
		treeDigest: 'sha256:0',
		state: 'active',
		installedAt: '2030-01-01T00:00:00.000Z',
		updatedAt: '2030-01-01T00:00:00.000Z',
		...overrides,
	};
}

/** The same record with the digest of the files actually in `dir`. */
export async function withDigestOf(record: InstalledPlugin, dir: string): Promise<InstalledPlugin> {
	const digest = await digestTree(dir);
	return { ...record, files: digest.files, treeDigest: digest.treeDigest };
}

/** Writes `files` (relative path → content) under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: Record<string, string>): void {
	mkdirSync(dir, { recursive: true });
	for (const [path, content] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, path)), { recursive: true });
		writeFileSync(join(dir, path), content);
	}
}

/** Every regular file (content) and symlink (`-> target`) under `dir`, by relative path. */
export function readTree(dir: string): Record<string, string> {
	const tree: Record<string, string> = {};
	const walk = (current: string, prefix: string) => {
		for (const name of readdirSync(current).sort()) {
			const path = join(current, name);
			const relative = prefix === '' ? name : `${prefix}/${name}`;
			const info = lstatSync(path);
			if (info.isDirectory()) walk(path, relative);
			else if (info.isSymbolicLink()) tree[relative] = `-> ${readlinkSync(path)}`;
			else tree[relative] = readFileSync(path, 'utf8');
		}
	};
	walk(dir, '');
	return tree;
}

/** Entries of a directory, or [] when it does not exist. */
export function entries(dir: string): string[] {
	return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** No staging copy, backup or journal left behind, and the lock released. */
export function assertNoLeftovers(world: StoreWorld): void {
	assert.deepEqual(entries(join(world.pluginsDir, STAGING_DIR)), [], 'staging leftovers');
	assert.deepEqual(entries(join(world.pluginsDir, BACKUP_DIR)), [], 'backup leftovers');
	assert.deepEqual(entries(join(world.dataDir, 'journal')), [], 'journal leftovers');
	const data = entries(world.dataDir);
	assert.ok(!data.includes('lock'), 'lock not released');
	assert.ok(!data.includes('lock.takeover'), 'takeover file left');
	assert.deepEqual(
		data.filter((name) => name.endsWith('.vouch-tmp')),
		[],
		'temp files left',
	);
}

export async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), `expected a VouchError, got ${String(error)}`);
		assert.equal(error.code, code);
		return true;
	});
}

export function throwsWithCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

/** What the worker script is asked to do; see `worker.ts`. */
export type WorkerJob =
	| { kind: 'add-plugins'; dataDir: string; prefix: string; count: number }
	| { kind: 'hold'; dataDir: string; readyFile: string }
	| {
			kind: 'log-turns';
			dataDir: string;
			turns: number;
			/**
			 * One race each, in order: the worker writes `readyFile`, waits for `goFile`, then
			 * takes its turns, logging to `log`. It is ready for a race only once its turns in the
			 * one before are over.
			 */
			rounds: { log: string; readyFile: string; goFile: string }[];
	  }
	| {
			kind: 'place';
			dataDir: string;
			pluginsDir: string;
			crashAt: string;
			staged: string;
			record: InstalledPlugin;
			enabled: boolean;
			/** Also removes this plugin's old directory, as a reinstall under a new name does. */
			replaces?: InstalledPlugin;
	  }
	| { kind: 'remove'; dataDir: string; pluginsDir: string; crashAt: string; uuid: string }
	| { kind: 'quarantine'; dataDir: string; pluginsDir: string; crashAt: string; uuid: string }
	| { kind: 'release'; dataDir: string; pluginsDir: string; crashAt: string; uuid: string };

export interface WorkerExit {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunningWorker {
	pid: number;
	exit: Promise<WorkerExit>;
	kill(signal: NodeJS.Signals): void;
}

/** Starts `worker.ts` in a real `node` process (see childNodeArgv), from the repository root. */
export function startWorker(job: WorkerJob): RunningWorker {
	const [node, ...args] = childNodeArgv(WORKER);
	const child = spawn(node as string, [...args, JSON.stringify(job)], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exit = new Promise<WorkerExit>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
	});
	if (child.pid === undefined) throw new Error('the worker did not start');
	return { pid: child.pid, exit, kill: (signal) => child.kill(signal) };
}

export async function runWorker(job: WorkerJob): Promise<WorkerExit> {
	return startWorker(job).exit;
}

/** Resolves once `path` exists, or rejects if the worker ends first (it would never appear). */
export async function waitForFile(path: string, worker: RunningWorker): Promise<void> {
	let ended: WorkerExit | undefined;
	void worker.exit.then((exit) => {
		ended = exit;
	});
	while (!existsSync(path)) {
		if (ended !== undefined) {
			throw new Error(`the worker ended before ${path} appeared: ${ended.stderr}`);
		}
		await new Promise((done) => setTimeout(done, 10));
	}
}

/** A pid no process can have: above the kernel's pid limit, so `kill(pid, 0)` fails with ESRCH. */
export const DEAD_PID = 2_147_483_646;
