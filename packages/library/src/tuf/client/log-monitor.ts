/**
 * `vouch registry log monitor`: follows a registry's log from run to run, like a client but
 * for people. Each run checks the new checkpoint against the one it stored (signature,
 * consistency, D28), audits every entry added since (chained registry hashes, sequence
 * numbers), and writes an Atom feed of the blacklist and trust changes among them.
 *
 * A log that fails the check is refused: the stored checkpoint stays, and the feed gains an
 * alert entry saying so, since the people reading the feed are the ones who must hear of it.
 */

import * as z from 'zod';
import { readFileBounded, writeFileAtomic } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { FEED_ACTIONS, type FeedItem, feedItemFor, renderAtomFeed } from '../../log/atom-feed.ts';
import { auditLog } from '../../log/audit.ts';
import { MAX_NOTE_BYTES } from '../../log/limits.ts';
import { readLogEntries } from '../../log/read-entries.ts';
import { tufError } from '../errors.ts';
import { logTime } from '../repository/registry-log.ts';
import { DEFAULT_TUF_TIMEOUT_MS } from './defaults.ts';
import { logSource } from './log-source.ts';
import { keyOfLocalRepository } from './open-log.ts';
import { checkRegistryLog } from './registry-log-check.ts';
import { repositoryUrls } from './url-policy.ts';

/** Items a feed keeps: feed readers poll, they do not need the whole history. */
export const MAX_FEED_ITEMS = 200;
const MAX_STATE_BYTES = 1024 * 1024;

const itemSchema = z.strictObject({
	id: z.string().max(2048),
	title: z.string().max(4096),
	updated: z.string().max(64),
	summary: z.string().max(8192),
	link: z.string().max(2048).optional(),
});
const stateSchema = z.strictObject({
	format: z.literal('vouch-log-monitor/1'),
	location: z.string().max(4096),
	checkpoint: z.string().max(MAX_NOTE_BYTES),
	verifierKey: z.string().max(1024),
	items: z.array(itemSchema).max(MAX_FEED_ITEMS) as z.ZodType<FeedItem[]>,
});
type MonitorState = z.infer<typeof stateSchema>;

export interface MonitorOptions {
	location: string;
	feedPath: string;
	statePath: string;
	verifierKey?: string;
	fetch?: typeof fetch;
	timeoutMs?: number;
	now: Date;
}

export interface MonitorResult {
	origin: string;
	size: number;
	/** The size stored before this run (0 on the first). */
	previousSize: number;
	/** Feed items this run added. */
	added: FeedItem[];
	feedItems: number;
}

export async function monitorLog(options: MonitorOptions): Promise<MonitorResult> {
	const stored = await readState(options.statePath);
	const urls = repositoryUrls(options.location);
	const verifierKey = (
		options.verifierKey ?? (await keyOfLocalRepository(options.location, urls.base))
	).trim();
	const source = logSource({
		urls,
		fetch: options.fetch ?? fetch,
		timeoutMs: options.timeoutMs ?? DEFAULT_TUF_TIMEOUT_MS,
	});
	const items = stored?.items ?? [];
	let check: Awaited<ReturnType<typeof checkRegistryLog>>;
	let added: FeedItem[] = [];
	try {
		check = await checkRegistryLog({
			source,
			verifierKey,
			stored:
				stored === undefined
					? undefined
					: { checkpoint: stored.checkpoint, verifierKey: stored.verifierKey },
		});
		const from = check.previous?.size ?? 0;
		const previous =
			from === 0 ? undefined : (await readLogEntries(check.log, from - 1, from))[0]?.entry;
		const origin = check.checkpoint.origin;
		await auditLog(check.log, {
			from,
			...(previous === undefined ? {} : { previous }),
			onEntry: ({ index, entry }) => {
				if (FEED_ACTIONS.has(entry.action)) added.push(feedItemFor(origin, index, entry));
			},
		});
	} catch (error) {
		if (stored === undefined || !isVouchError(error) || !error.code.startsWith('LOG_')) throw error;
		// Refused: the alert goes into the feed; the stored checkpoint stays the last good one.
		const alert: FeedItem = {
			id: `${originOf(stored)}#alert-${logTime(options.now)}`,
			title: `The log was refused: ${error.code}`,
			updated: logTime(options.now),
			summary: `${sanitizeText(error.message, { maxLength: 500 })} The last verified state (${sizeOf(stored)} entries) is kept.`,
		};
		const kept = [...items, alert].slice(-MAX_FEED_ITEMS);
		await writeFeed(options, originOf(stored), kept);
		await writeState(options.statePath, { ...stored, items: kept });
		throw error;
	}
	const origin = check.checkpoint.origin;
	const known = new Set(items.map((item) => item.id));
	added = added.filter((item) => !known.has(item.id));
	const kept = [...items, ...added].slice(-MAX_FEED_ITEMS);
	await writeFeed(options, origin, kept);
	await writeState(options.statePath, {
		format: 'vouch-log-monitor/1',
		location: options.location,
		checkpoint: check.state.checkpoint,
		verifierKey: check.state.verifierKey,
		items: kept,
	});
	return {
		origin,
		size: check.checkpoint.size,
		previousSize: check.previous?.size ?? 0,
		added,
		feedItems: kept.length,
	};
}

async function writeFeed(
	options: MonitorOptions,
	origin: string,
	items: FeedItem[],
): Promise<void> {
	const feed = renderAtomFeed(
		{
			origin,
			title: `Blacklist and trust changes of ${origin}`,
			source: options.location,
			updated: items.at(-1)?.updated ?? logTime(options.now),
		},
		items,
	);
	await writeFileAtomic(options.feedPath, feed, { mode: 0o644 });
}

async function readState(path: string): Promise<MonitorState | undefined> {
	let bytes: Buffer;
	try {
		bytes = await readFileBounded(path, MAX_STATE_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return undefined;
		throw error;
	}
	try {
		return stateSchema.parse(JSON.parse(bytes.toString('utf8')));
	} catch (error) {
		throw tufError(
			'TUF_CACHE_TAMPERED',
			`The monitor state ${sanitizeText(path)} is not readable.`,
			{
				hint: 'Restore it, or remove it to start following the log afresh (its history is then trusted as first seen).',
				cause: error,
			},
		);
	}
}

/** Private to the watcher, unlike the feed: the location may carry its credentials. */
async function writeState(path: string, state: MonitorState): Promise<void> {
	await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

function originOf(state: MonitorState): string {
	return state.checkpoint.split('\n', 1)[0] ?? 'log';
}

function sizeOf(state: MonitorState): string {
	return state.checkpoint.split('\n', 3)[1] ?? '?';
}
