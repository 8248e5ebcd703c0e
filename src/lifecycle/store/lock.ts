/**
 * A lock file that keeps two `vouch` processes from changing one store at once.
 *
 * `lock` is created with O_EXCL and names its holder. A holder that died (SIGKILL, power cut)
 * leaves it behind; it is stale when its pid no longer runs on this host. Taking a stale lock
 * over is itself serialised by a short-lived `lock.takeover` file, and the stale content is
 * re-read under it, so two processes that both saw the same dead holder cannot both win, and
 * neither can remove a lock a live process has just taken.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { storeError } from './errors.ts';

export interface LockOptions {
	dir: string;
	/** How long to wait for a live holder. */
	timeoutMs: number;
	pid?: number;
	/** Whether a pid runs on this host; replaceable in tests. */
	isAlive?: (pid: number) => boolean;
	sleep?: (ms: number) => Promise<void>;
}

export interface HeldLock {
	release(): Promise<void>;
}

interface LockContent {
	pid: number;
	host: string;
	token: string;
	startedAt: string;
}

const POLL_MS = 25;
/** A takeover file older than this was left by a process killed mid-takeover. */
const TAKEOVER_STALE_MS = 5000;

export async function acquireLock(options: LockOptions): Promise<HeldLock> {
	await mkdir(options.dir, { recursive: true });
	const path = join(options.dir, 'lock');
	const content: LockContent = {
		pid: options.pid ?? process.pid,
		host: hostname(),
		token: randomBytes(12).toString('hex'),
		startedAt: new Date().toISOString(),
	};
	const isAlive = options.isAlive ?? processIsAlive;
	const sleep = options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
	const deadline = Date.now() + options.timeoutMs;
	for (;;) {
		if (await tryCreate(path, content)) {
			return { release: () => releaseIfOurs(path, content.token) };
		}
		const holder = await readLock(path);
		if (holder !== undefined && holder.host === content.host && !isAlive(holder.pid)) {
			await takeOverStale(options.dir, path, holder);
			continue;
		}
		if (Date.now() >= deadline) {
			const who = holder === undefined ? 'another process' : `process ${holder.pid}`;
			throw storeError('STATE_LOCKED', `The plugin store is in use by ${who}.`, {
				hint: 'Wait for the other vouch command to finish, then try again.',
			});
		}
		await sleep(POLL_MS);
	}
}

async function tryCreate(path: string, content: LockContent): Promise<boolean> {
	try {
		const handle = await open(path, 'wx', 0o600);
		try {
			await handle.writeFile(JSON.stringify(content));
			await handle.sync();
		} finally {
			await handle.close();
		}
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

async function readLock(path: string): Promise<LockContent | undefined> {
	try {
		const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockContent>;
		if (typeof parsed.pid !== 'number' || typeof parsed.token !== 'string') return undefined;
		return parsed as LockContent;
	} catch {
		// Missing, or being written right now: look again on the next round.
		return undefined;
	}
}

async function takeOverStale(dir: string, path: string, stale: LockContent): Promise<void> {
	const takeover = join(dir, 'lock.takeover');
	const mine: LockContent = { ...stale, pid: process.pid, token: randomBytes(12).toString('hex') };
	if (!(await tryCreate(takeover, mine))) {
		const age = await stat(takeover).then(
			(info) => Date.now() - info.mtimeMs,
			() => 0,
		);
		if (age > TAKEOVER_STALE_MS) await unlink(takeover).catch(() => undefined);
		return;
	}
	try {
		const current = await readLock(path);
		if (current?.token === stale.token) await unlink(path).catch(() => undefined);
	} finally {
		await unlink(takeover).catch(() => undefined);
	}
}

async function releaseIfOurs(path: string, token: string): Promise<void> {
	const current = await readLock(path);
	if (current?.token === token) await unlink(path).catch(() => undefined);
}

function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
