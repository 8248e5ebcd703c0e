/**
 * A lock file that keeps two `vouch` processes from changing one store at once.
 *
 * `lock` names its holder and appears whole: it is written to a file of its own and then
 * hard-linked into place, which fails if a lock exists. A holder that died (SIGKILL, power cut)
 * leaves it behind; it is stale when its pid no longer runs on this host. Taking a stale lock
 * over is itself serialised by a short-lived `lock.takeover` file, made the same way, and the
 * stale content is re-read under it, so two processes that both saw the same dead holder
 * cannot both win, and neither can remove a lock a live process has just taken.
 *
 * A live process's files are never judged by their age: file times come from the file
 * system's clock, which may differ from this process's (a shifted clock, another machine's
 * file server), and a young file judged old would let two processes in at once. Age decides
 * only for what no live holder on this host can answer for: a lock or takeover file without
 * readable content (left by a file system without hard links, or damaged), or one made on
 * another host. Ages compare the injected wall clock with file times; how long to wait is
 * measured on the monotonic clock, which a fixed or shifted wall clock cannot stretch into
 * forever.
 */
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { link, mkdir, open, unlink } from 'node:fs/promises';
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
	/** The wall clock that file ages are judged by. */
	now?: () => Date;
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
/**
 * A lock file that stays empty or unreadable this long was left by a process killed between
 * creating it and writing it (a live one writes it at once). Without this it would block the
 * store for good.
 */
const UNREADABLE_LOCK_STALE_MS = 10_000;

/** What is at the lock path: a holder, something unreadable (and how old), or nothing. */
type LockFile =
	| { kind: 'held'; holder: LockContent; mtimeMs: number }
	| { kind: 'unreadable'; ino: number; mtimeMs: number }
	| { kind: 'missing' };

export async function acquireLock(options: LockOptions): Promise<HeldLock> {
	await mkdir(options.dir, { recursive: true });
	const path = join(options.dir, 'lock');
	const now = options.now ?? (() => new Date());
	const content: LockContent = {
		pid: options.pid ?? process.pid,
		host: hostname(),
		token: randomBytes(12).toString('hex'),
		startedAt: now().toISOString(),
	};
	const isAlive = options.isAlive ?? processIsAlive;
	const sleep = options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
	const deadline = performance.now() + options.timeoutMs;
	for (;;) {
		if (await tryCreate(path, content)) {
			return { release: () => releaseIfOurs(path, content.token) };
		}
		const found = await inspectLock(path);
		const stale =
			found.kind === 'held'
				? found.holder.host === content.host && !isAlive(found.holder.pid)
				: found.kind === 'unreadable' && now().getTime() - found.mtimeMs > UNREADABLE_LOCK_STALE_MS;
		// After a takeover try at once; otherwise someone else is taking over, or holds it.
		if (stale && (await takeOverStale(options.dir, path, found, content.pid, now, isAlive))) {
			continue;
		}
		if (performance.now() >= deadline) {
			const who = found.kind === 'held' ? `process ${found.holder.pid}` : 'another process';
			throw storeError('STATE_LOCKED', `The plugin store is in use by ${who}.`, {
				hint: 'Wait for the other vouch command to finish, then try again.',
			});
		}
		await sleep(POLL_MS);
	}
}

/**
 * Who holds the store lock, for `doctor`: a process that may be at work (`live`; its pid when
 * the lock names one), one that is gone (`stale`: the next command takes the lock over), or
 * nobody. A holder on another host cannot be judged by its pid, so it counts as live.
 */
export type LockHolder =
	| { kind: 'live'; pid?: number; host?: string }
	| { kind: 'stale'; pid?: number }
	| { kind: 'none' };

export async function readLockHolder(
	dir: string,
	options: { now?: () => Date; isAlive?: (pid: number) => boolean } = {},
): Promise<LockHolder> {
	const found = await inspectLock(join(dir, 'lock'));
	if (found.kind === 'missing') return { kind: 'none' };
	if (found.kind === 'unreadable') {
		const now = (options.now ?? (() => new Date()))().getTime();
		return now - found.mtimeMs > UNREADABLE_LOCK_STALE_MS ? { kind: 'stale' } : { kind: 'live' };
	}
	const { pid, host } = found.holder;
	if (host !== hostname()) return { kind: 'live', pid, host };
	return (options.isAlive ?? processIsAlive)(pid) ? { kind: 'live', pid } : { kind: 'stale', pid };
}

/**
 * Creates `path` with `content`, whole, unless it exists. The content goes to a file of its own
 * first and is then linked into place, so nobody ever reads the lock half written. A file
 * system without hard links gets an exclusive create and write instead.
 */
async function tryCreate(path: string, content: LockContent): Promise<boolean> {
	const draft = `${path}.${content.token}.new`;
	await writeWhole(draft, content, 'wx');
	try {
		await link(draft, path);
		return true;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EEXIST') return false;
		if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') {
			return createInPlace(path, content);
		}
		throw error;
	} finally {
		await unlink(draft).catch(() => undefined);
	}
}

async function createInPlace(path: string, content: LockContent): Promise<boolean> {
	try {
		await writeWhole(path, content, 'wx');
		return true;
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
		throw error;
	}
}

async function writeWhole(path: string, content: LockContent, flags: 'wx'): Promise<void> {
	const handle = await open(path, flags, 0o600);
	try {
		await handle.writeFile(JSON.stringify(content));
		await handle.sync();
	} catch (error) {
		// An empty lock would block everyone until it grows stale.
		await unlink(path).catch(() => undefined);
		throw error;
	} finally {
		await handle.close();
	}
}

async function readLock(path: string): Promise<LockContent | undefined> {
	const found = await inspectLock(path);
	return found.kind === 'held' ? found.holder : undefined;
}

async function inspectLock(path: string): Promise<LockFile> {
	let info: Stats;
	let text: string;
	try {
		// One open file for both: the age and the content must belong to the same lock file.
		const handle = await open(path, 'r');
		try {
			info = await handle.stat();
			text = await handle.readFile('utf8');
		} finally {
			await handle.close();
		}
	} catch {
		return { kind: 'missing' };
	}
	try {
		const parsed = JSON.parse(text) as Partial<LockContent>;
		if (typeof parsed.pid === 'number' && typeof parsed.token === 'string') {
			return { kind: 'held', holder: parsed as LockContent, mtimeMs: info.mtimeMs };
		}
	} catch {
		// Being written right now, or left half-written: judged by its age.
	}
	return { kind: 'unreadable', ino: info.ino, mtimeMs: info.mtimeMs };
}

/**
 * Removes a stale lock, under `lock.takeover` so that only one process at a time decides, and
 * only if the lock is still the very one judged stale. Returns whether this process did it.
 */
async function takeOverStale(
	dir: string,
	path: string,
	stale: LockFile,
	pid: number,
	now: () => Date,
	isAlive: (pid: number) => boolean,
): Promise<boolean> {
	const takeover = join(dir, 'lock.takeover');
	const mine: LockContent = {
		pid,
		host: hostname(),
		token: randomBytes(12).toString('hex'),
		startedAt: now().toISOString(),
	};
	if (!(await tryCreate(takeover, mine))) {
		// A takeover whose maker runs on this host is in progress, however old its file looks.
		const other = await inspectLock(takeover);
		const abandoned =
			other.kind === 'held' && other.holder.host === mine.host
				? !isAlive(other.holder.pid)
				: other.kind !== 'missing' && now().getTime() - other.mtimeMs > TAKEOVER_STALE_MS;
		if (abandoned && sameLock(other, await inspectLock(takeover))) {
			await unlink(takeover).catch(() => undefined);
		}
		return false;
	}
	try {
		if (sameLock(stale, await inspectLock(path))) await unlink(path).catch(() => undefined);
	} finally {
		await unlink(takeover).catch(() => undefined);
	}
	return true;
}

function sameLock(before: LockFile, now: LockFile): boolean {
	if (before.kind === 'held' && now.kind === 'held')
		return before.holder.token === now.holder.token;
	if (before.kind === 'unreadable' && now.kind === 'unreadable') {
		return before.ino === now.ino && before.mtimeMs === now.mtimeMs;
	}
	return false;
}

async function releaseIfOurs(path: string, token: string): Promise<void> {
	const current = await readLock(path);
	if (current?.token === token) await unlink(path).catch(() => undefined);
}

/** Whether a pid runs on this host (EPERM: it runs, as another user). */
export function processIsAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: it exists but belongs to someone else.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}
