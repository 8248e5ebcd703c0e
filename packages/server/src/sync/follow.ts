/**
 * Following a registry repository: the maintainers keep `plugins.toml` in git, as they always
 * have, and the service imports each new commit of the followed branch. The import goes through
 * the store (the library's reader refuses a malformed registry, which is then never stored), and
 * the commit it came from is remembered in the database, so a restart does not import it again.
 * A branch that was force-pushed is still imported (the repository is the source of truth), but
 * the outcome and the change record say that history was rewritten, for the maintainers to look
 * at. A commit that would drop or weaken a block an incident holds is refused as its own
 * outcome (`held-by-incident`) and not remembered. Nothing here throws out of the polling loop:
 * a failure leaves the current document as it is and is reported in the outcome.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { redactUrlCredentials, sanitizeText } from '@vouch/library/internal/core/sanitize';
import type { Git } from '@vouch/library/internal/git/git';
import { MAX_REGISTRY_BYTES } from '@vouch/library/internal/registry/limits';
import type { ServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';
import type { HeldEntryProblem } from '../incidents/held-entries.ts';
import type { Actor } from '../store/actor.ts';
import type { RegistryStore } from '../store/registry-store.ts';
import { importScanReports } from './scan-reports.ts';
import { readSyncState, writeSyncState } from './state.ts';
import { readFileIn, relativeParts } from './working-files.ts';

/** Longest reason recorded for an import (the log entry carries it). */
export const MAX_FOLLOW_REASON_CHARS = 500;

export type FollowFailure =
	/** The repository, or the branch, could not be fetched. */
	| 'unreachable'
	/** The commit holds no usable registry file (missing, a link, too large, refused by the reader). */
	| 'malformed'
	/**
	 * The registry file is well-formed but drops or weakens a blacklist entry that an applied
	 * incident action holds (`incidents/held-entries.ts`): the block must be lifted through its
	 * incident first. `held` names the entries.
	 */
	| 'held-by-incident'
	/** Anything else (the database, say). */
	| 'error';

export type SyncOutcome =
	| {
			status: 'imported';
			commit: string;
			/** The commit imported before, if any. */
			previous?: string;
			/** The new commit does not descend from the previous one (a force-push). */
			rewritten: boolean;
			/** Whether the document changed (a commit may leave `plugins.toml` as it was). */
			documentChanged: boolean;
			/** The change record the import made. */
			changeSeq?: number;
			reason: string;
			reports: { stored: number; skipped: string[] };
	  }
	| { status: 'unchanged'; commit: string }
	| {
			status: 'failed';
			failure: FollowFailure;
			message: string;
			commit?: string;
			/** For `held-by-incident`: each held entry, its action and incident, and what the commit does to it. */
			held?: HeldEntryProblem[];
	  };

export interface FollowOptions {
	store: RegistryStore;
	database: ServiceDb;
	git: Pick<Git, 'clone' | 'fetch' | 'checkout' | 'isAncestor' | 'commitSubject'>;
	url: string;
	/** The followed branch. Default `main`. */
	ref?: string;
	/** The registry file in the repository. Default `plugins.toml`. */
	path?: string;
	/** A directory the follower owns: its working copy of the repository lives there. */
	workdir: string;
	clock: () => Date;
	/** Who the change records name. */
	actor: Actor;
	/** Told of every outcome of the polling loop (for the service's log). */
	onOutcome?: (outcome: SyncOutcome) => void;
}

export interface Follower {
	/** Fetches the branch once and imports a new commit; never throws. */
	syncOnce(): Promise<SyncOutcome>;
	/** Polls every `intervalMs` (the first time at once) until `stop`. */
	start(intervalMs: number): void;
	/** Stops polling and waits for a sync in progress. */
	stop(): Promise<void>;
}

function messageOf(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return sanitizeText(message, { maxLength: 500 });
}

function isGitFailure(error: unknown): boolean {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' && code.startsWith('GIT_');
}

export function followRegistryRepository(options: FollowOptions): Follower {
	const ref = options.ref ?? 'main';
	const path = options.path ?? 'plugins.toml';
	relativeParts(path);
	const shownUrl = sanitizeText(options.url, { maxLength: 200 });
	// Credentials in the address are never stored in the database.
	const stateName = `follow ${redactUrlCredentials(options.url)} ${ref} ${path}`;
	const dir = options.workdir;

	async function fetchCommit(): Promise<string> {
		if (existsSync(join(dir, '.git'))) {
			// The whole history, so that ancestry can be judged against the commit read before.
			const fetched = await options.git.fetch({
				dir,
				url: options.url,
				ref,
				refType: 'branch',
				depth: 0,
			});
			return fetched.commit;
		}
		const cloned = await options.git.clone({
			url: options.url,
			dest: dir,
			ref,
			refType: 'branch',
			depth: 0,
		});
		return cloned.commit;
	}

	async function run(): Promise<SyncOutcome> {
		let commit: string;
		try {
			commit = await fetchCommit();
		} catch (error) {
			return {
				status: 'failed',
				failure: isGitFailure(error) ? 'unreachable' : 'error',
				message: messageOf(error),
			};
		}
		try {
			const state = await readSyncState(options.database.db, stateName);
			if (state.commit === commit) return { status: 'unchanged', commit };
			return await importCommit(commit, state.commit);
		} catch (error) {
			return { status: 'failed', failure: 'error', message: messageOf(error), commit };
		}
	}

	async function importCommit(commit: string, previous: string | undefined): Promise<SyncOutcome> {
		await options.git.checkout({ dir, commit, force: true });
		let text: string;
		try {
			const bytes = await readFileIn(dir, path, MAX_REGISTRY_BYTES);
			if (bytes === undefined) {
				return malformed(commit, `${sanitizeText(path)} does not exist at ${commit}.`);
			}
			text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		} catch (error) {
			return malformed(commit, messageOf(error));
		}
		const rewritten =
			previous !== undefined &&
			!(await options.git.isAncestor({ dir, ancestor: previous, descendant: commit }));
		const subject = sanitizeText(await options.git.commitSubject(dir, commit), { maxLength: 200 });
		const note = rewritten ? ` (history rewritten: ${previous} is not an ancestor)` : '';
		const reason = sanitizeText(`follow ${shownUrl}@${commit}: ${subject}${note}`, {
			maxLength: MAX_FOLLOW_REASON_CHARS,
		});
		let imported: Awaited<ReturnType<RegistryStore['importText']>>;
		try {
			imported = await options.store.importText(text, options.actor, reason);
		} catch (error) {
			if ((error as { code?: unknown }).code === 'REGISTRY_CONFLICT') throw error;
			// Not applied and not remembered: the same commit is refused again on the next poll,
			// and a later commit that keeps the entries imports.
			if ((error as { code?: unknown }).code === 'HELD_BY_INCIDENT')
				return heldByIncident(commit, error);
			return malformed(commit, messageOf(error));
		}
		const reports = await importReports();
		await writeSyncState(
			options.database.db,
			stateName,
			{ commit, changeSeq: undefined },
			options.clock(),
		);
		return {
			status: 'imported',
			commit,
			...(previous === undefined ? {} : { previous }),
			rewritten,
			documentChanged: imported.stored !== undefined,
			...(imported.stored === undefined ? {} : { changeSeq: imported.stored.seq }),
			reason,
			reports,
		};
	}

	async function importReports() {
		const registry = (await options.store.registry())?.registry;
		const ids = new Set(registry?.plugins.map((plugin) => plugin.id) ?? []);
		try {
			return await importScanReports(options.database, join(dir, dirname(path)), {
				clock: options.clock,
				registeredIds: ids,
			});
		} catch (error) {
			return { stored: 0, skipped: [`Scan reports not imported: ${messageOf(error)}`] };
		}
	}

	function heldByIncident(commit: string, error: unknown): SyncOutcome {
		const held = (error as { details?: { held?: HeldEntryProblem[] } }).details?.held ?? [];
		return {
			status: 'failed',
			failure: 'held-by-incident',
			message: messageOf(error),
			commit,
			held,
		};
	}

	function malformed(commit: string, message: string): SyncOutcome {
		return { status: 'failed', failure: 'malformed', message, commit };
	}

	// One sync at a time: the loop and a caller's syncOnce never overlap.
	let chain: Promise<unknown> = Promise.resolve();
	function syncOnce(): Promise<SyncOutcome> {
		const next = chain.then(run, run);
		chain = next.catch(() => undefined);
		return next;
	}

	let timer: NodeJS.Timeout | undefined;
	let running = false;
	let inFlight: Promise<unknown> = Promise.resolve();
	return {
		syncOnce,
		start(intervalMs) {
			if (running) return;
			if (!Number.isFinite(intervalMs) || intervalMs <= 0) {
				throw serverError(
					'INVALID_OPTIONS',
					'The polling interval must be a positive number of milliseconds.',
				);
			}
			running = true;
			const tick = (): void => {
				inFlight = syncOnce().then((outcome) => {
					try {
						options.onOutcome?.(outcome);
					} catch {
						// A failing listener must not end the polling.
					}
					if (running) timer = setTimeout(tick, intervalMs);
				});
			};
			tick();
		},
		async stop() {
			running = false;
			if (timer !== undefined) clearTimeout(timer);
			await inFlight;
		},
	};
}
