/**
 * The state file of one host profile: `<dataDir>/state.json`. Reads are lock-free snapshots
 * (every write is an atomic rename, so a reader sees the old file or the new one). Changes go
 * through `transaction`, which holds the lock, re-reads, lets the caller edit a copy, checks
 * the copy against the schema and writes it atomically, keeping the previous file as
 * `state.json.bak`. A file that does not read as state is never overwritten. When the work
 * or the write fails, the plugin directories it moved are put back before the error is passed
 * on: a change reported as failed must not take effect later through recovery.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileBounded, writeFileAtomic, writeFilesAtomic } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { storeError } from './errors.ts';
import { journalDir, type RecoveryAction, recoverJournals, undoPlacements } from './journal.ts';
import { acquireLock } from './lock.ts';
import { emptyState, type StoreState, storeStateSchema } from './model.ts';

export const STATE_FILE = 'state.json';
export const MAX_STATE_BYTES = 32 * 1024 * 1024;

export interface StoreOptions {
	dataDir: string;
	/** How long a transaction waits for another process's lock. Default 10 s. */
	lockTimeoutMs?: number;
	/** The wall clock that the age of a left-behind lock file is judged by. */
	now?: () => Date;
}

/** What a transaction's work can do besides editing the state. */
export interface TransactionContext {
	/** Runs after the new state is written (and not at all if the transaction fails). */
	afterCommit(step: () => Promise<void>): void;
}

export interface PluginStore {
	readonly dataDir: string;
	read(): Promise<StoreState>;
	transaction<T>(work: (state: StoreState, tx: TransactionContext) => Promise<T>): Promise<T>;
	/** Finishes or rolls back interrupted changes now (each transaction also does it first). */
	recover(): Promise<RecoveryAction[]>;
	/** Whether a journal waits to be settled; one directory listing, no lock. */
	hasInterruptedWork(): Promise<boolean>;
}

export function openStore(options: StoreOptions): PluginStore {
	const path = join(options.dataDir, STATE_FILE);
	// Transactions of this process queue here; the lock file orders them against other processes.
	let queue: Promise<unknown> = Promise.resolve();
	let lastRecovery: RecoveryAction[] = [];
	const store: PluginStore = {
		dataDir: options.dataDir,
		read: () => readState(path),
		async recover() {
			await store.transaction(async () => undefined);
			return lastRecovery;
		},
		async hasInterruptedWork() {
			const pending = await readdir(journalDir(options.dataDir)).catch(() => [] as string[]);
			return pending.some((name) => name.endsWith('.json'));
		},
		transaction<T>(work: (state: StoreState, tx: TransactionContext) => Promise<T>): Promise<T> {
			const run = queue.then(async () => {
				await mkdir(options.dataDir, { recursive: true });
				const lock = await acquireLock({
					dir: options.dataDir,
					timeoutMs: options.lockTimeoutMs ?? 10_000,
					...(options.now === undefined ? {} : { now: options.now }),
				});
				try {
					const state = await readState(path);
					const draft = structuredClone(state);
					// An interrupted change is settled before anything new is decided.
					const recovery = await recoverJournals(options.dataDir, draft);
					lastRecovery = recovery.actions;
					if (recovery.actions.length > 0) {
						await writeState(path, draft);
						await recovery.settle();
					}
					const after: (() => Promise<void>)[] = [];
					let result: T;
					try {
						result = await work(draft, { afterCommit: (step) => after.push(step) });
						await writeState(path, draft);
					} catch (error) {
						// Nothing was committed, so no file move of this transaction may stay. If the
						// undo fails too, its journals remain for the next recovery.
						await undoPlacements(options.dataDir).catch(() => undefined);
						throw error;
					}
					for (const step of after) await step();
					return result;
				} finally {
					await lock.release();
				}
			});
			queue = run.catch(() => undefined);
			return run;
		},
	};
	return store;
}

async function readState(path: string): Promise<StoreState> {
	let bytes: Buffer;
	try {
		bytes = await readFileBounded(path, MAX_STATE_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_TOO_LARGE') {
			throw storeError('STATE_TOO_LARGE', `${sanitizeText(path)} is too large to be Vouch state.`, {
				cause: error,
			});
		}
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return emptyState();
		throw error;
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(bytes.toString('utf8'));
	} catch (error) {
		throw corrupt(path, 'it is not JSON', error);
	}
	const checked = storeStateSchema.safeParse(parsed);
	if (!checked.success) {
		const issue = checked.error.issues[0];
		throw corrupt(path, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
	}
	return checked.data;
}

async function writeState(path: string, state: StoreState): Promise<void> {
	// A bug guard: what we write must read back.
	const checked = storeStateSchema.parse(state);
	// The backup is written atomically too: the hint sends users to it when the state is damaged.
	const previous = await readFileBounded(path, MAX_STATE_BYTES).catch((error: unknown) => {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return undefined;
		throw error;
	});
	const next = `${JSON.stringify(checked, null, 1)}\n`;
	if (previous === undefined) {
		await writeFileAtomic(path, next, { mode: 0o600 });
		return;
	}
	// One wait for both: the backup is renamed into place first, so it is never newer than
	// the state it backs up.
	await writeFilesAtomic(
		[
			{ target: `${path}.bak`, data: previous },
			{ target: path, data: next },
		],
		{ mode: 0o600 },
	);
}

function corrupt(path: string, why: string, cause?: unknown) {
	return storeError(
		'STATE_CORRUPT',
		`The plugin state ${sanitizeText(path)} is damaged (${sanitizeText(why, { maxLength: 200 })}); Vouch will not change it.`,
		{
			hint: `Restore it from ${sanitizeText(path)}.bak, or move it away to start with no plugins recorded.`,
			...(cause === undefined ? {} : { cause }),
		},
	);
}
