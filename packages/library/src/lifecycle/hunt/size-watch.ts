/**
 * git has no client-side bound on what a fetch downloads, so a repository padded with
 * gigabytes would fill the disk before any check ran. The fetch directory is measured while
 * git writes it, and the fetch is stopped the moment it passes the bound.
 */
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** How often the directory is measured while git writes it. */
const WATCH_INTERVAL_MS = 200;

export async function directorySize(dir: string): Promise<number> {
	let total = 0;
	let entries: import('node:fs').Dirent[];
	try {
		entries = await readdir(dir, { withFileTypes: true });
	} catch {
		return 0; // not created yet, or removed meanwhile
	}
	for (const entry of entries) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) total += await directorySize(path);
		else
			total += await lstat(path).then(
				(info) => info.size,
				() => 0,
			);
	}
	return total;
}

/**
 * Runs `work` with a signal that aborts once `dir` holds more than `maxBytes`; `exceeded` says
 * whether that is why it stopped. An abort of `outer` is passed on.
 */
export async function withSizeBound<T>(
	dir: string,
	maxBytes: number,
	outer: AbortSignal | undefined,
	work: (signal: AbortSignal) => Promise<T>,
): Promise<{ value?: T; error?: unknown; exceeded: boolean }> {
	const controller = new AbortController();
	const onOuter = () => controller.abort(outer?.reason);
	outer?.addEventListener('abort', onOuter, { once: true });
	let exceeded = false;
	let measuring = false;
	const timer = setInterval(() => {
		if (measuring) return;
		measuring = true;
		void directorySize(dir).then((size) => {
			measuring = false;
			if (size > maxBytes && !controller.signal.aborted) {
				exceeded = true;
				controller.abort(new Error('size bound exceeded'));
			}
		});
	}, WATCH_INTERVAL_MS);
	try {
		const value = await work(controller.signal);
		// A fetch quicker than one interval is measured once at the end.
		if (!exceeded && (await directorySize(dir)) > maxBytes) exceeded = true;
		return exceeded ? { exceeded } : { value, exceeded };
	} catch (error) {
		return { error, exceeded };
	} finally {
		clearInterval(timer);
		outer?.removeEventListener('abort', onOuter);
	}
}
