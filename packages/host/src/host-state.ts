/**
 * What the host remembers across runs, in the profile's data directory: recent failures of
 * each plugin (for the crash-loop rule) and how many start-ups in a row never became healthy
 * (for safe mode). Written atomically, so a crash while writing leaves the old state; an
 * unreadable file is read as empty, which can only let the host try the plugins once more.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { readFileBounded, writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';

export interface HostState {
	version: 1;
	/** Failure times (ms since the epoch) per plugin UUID, oldest first. */
	failures: Record<string, number[]>;
	/** Start-ups that began loading plugins and were not yet healthy for long enough. */
	unhealthyStarts: number;
}

const MAX_STATE_BYTES = 1024 * 1024;
const MAX_FAILURES_KEPT = 20;

export function emptyHostState(): HostState {
	return { version: 1, failures: {}, unhealthyStarts: 0 };
}

export function hostStatePath(profileDataDir: string): string {
	return join(profileDataDir, 'host', 'state.json');
}

export async function readHostState(path: string): Promise<HostState> {
	try {
		const value = JSON.parse(
			(await readFileBounded(path, MAX_STATE_BYTES)).toString('utf8'),
		) as Partial<HostState>;
		const state = emptyHostState();
		if (Number.isSafeInteger(value.unhealthyStarts) && (value.unhealthyStarts as number) >= 0)
			state.unhealthyStarts = value.unhealthyStarts as number;
		if (typeof value.failures === 'object' && value.failures !== null) {
			for (const [uuid, times] of Object.entries(value.failures)) {
				if (Array.isArray(times))
					state.failures[uuid] = times.filter((t) => Number.isFinite(t)).slice(-MAX_FAILURES_KEPT);
			}
		}
		return state;
	} catch {
		return emptyHostState();
	}
}

/** Serialises writes: each update reads the latest state, changes it and writes it whole. */
export function hostStateStore(path: string) {
	let chain: Promise<unknown> = Promise.resolve();
	return {
		read: () => readHostState(path),
		update(change: (state: HostState) => void): Promise<HostState> {
			const next = chain.then(async () => {
				const state = await readHostState(path);
				change(state);
				for (const uuid of Object.keys(state.failures)) {
					const times = (state.failures[uuid] ?? []).slice(-MAX_FAILURES_KEPT);
					if (times.length === 0) delete state.failures[uuid];
					else state.failures[uuid] = times;
				}
				await mkdir(dirname(path), { recursive: true });
				await writeFileAtomic(path, `${JSON.stringify(state)}\n`);
				return state;
			});
			chain = next.catch(() => undefined);
			return next;
		},
	};
}
export type HostStateStore = ReturnType<typeof hostStateStore>;
