/**
 * The service as the source of truth of a registry repository: the current document (byte for
 * byte) and the stored scan reports are written into a working copy of the repository, committed
 * with a message listing the change records since the last export, and pushed when a remote is
 * given. The maintainers' tooling keeps working on the result: it is the file they would have
 * written. Exporting twice without a change makes no second commit.
 *
 * With a remote, the working copy is first reset to the remote branch: the export is derived
 * from the database every time, so a commit that failed to push is simply made again.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { removeStaleTempFiles } from '@vouch/library/internal/core/atomic-fs';
import { redactUrlCredentials, sanitizeText } from '@vouch/library/internal/core/sanitize';
import type { CommitIdentity } from '@vouch/library/internal/git/commit';
import { MAX_COMMIT_MESSAGE_BYTES } from '@vouch/library/internal/git/commit';
import type { Git } from '@vouch/library/internal/git/git';
import { MAX_REGISTRY_BYTES } from '@vouch/library/internal/registry/limits';
import {
	MAX_SCAN_REPORT_BYTES,
	SCAN_REPORTS_DIR,
} from '@vouch/library/internal/registry/review/report-name';
import type { ServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';
import type { RegistryStore } from '../store/registry-store.ts';
import { storedScanReports } from './scan-reports.ts';
import { readSyncState, writeSyncState } from './state.ts';
import { isDirectoryIn, relativeParts, writeFileIn } from './working-files.ts';

/** Change records listed one per line in a commit message; more are counted. */
export const MAX_LISTED_CHANGES = 150;
const MAX_CHANGE_LINE_CHARS = 300;

export interface ExportOptions {
	store: RegistryStore;
	database: ServiceDb;
	git: Pick<Git, 'clone' | 'fetch' | 'checkout' | 'commit' | 'push'>;
	/** The working copy. With `url` it is cloned here when missing; without, it must exist. */
	workdir: string;
	/** The remote to fetch from and push to. Without it, the export is only committed. */
	url?: string;
	branch: string;
	/** The registry file in the repository. Default `plugins.toml`. */
	path?: string;
	/** The first line of the commit message. Default `Registry export`. */
	message?: string;
	author: CommitIdentity;
	clock: () => Date;
}

export interface ExportOutcome {
	/** The new commit; undefined when the repository already held the export. */
	commit?: string;
	pushed: boolean;
	/** The change records the message lists. */
	changes: number;
	/** Scan report files written or replaced. */
	reportsWritten: number;
}

interface ChangesSince {
	lines: string[];
	/** Records after those listed. */
	more: number;
	lastSeq: number | undefined;
}

async function changesSince(database: ServiceDb, after: number | undefined): Promise<ChangesSince> {
	const since = database.db.selectFrom('changes').where('seq', '>', after ?? 0);
	const totals = await since
		.select((eb) => [eb.fn.countAll<string | number>().as('count'), eb.fn.max('seq').as('last')])
		.executeTakeFirstOrThrow();
	const rows = await since
		.select(['seq', 'action', 'subject', 'reason', 'actor_name', 'created_at'])
		.orderBy('seq')
		.limit(MAX_LISTED_CHANGES)
		.execute();
	const lines = rows.map((row) =>
		// Reasons are the maintainers' text, possibly pasted: one line each, no control characters.
		sanitizeText(
			`- #${row.seq} ${row.action} ${row.subject}: ${row.reason} (${row.actor_name}, ${row.created_at})`,
			{ maxLength: MAX_CHANGE_LINE_CHARS },
		),
	);
	const last = totals.last === null ? undefined : Number(totals.last);
	return { lines, more: Number(totals.count) - lines.length, lastSeq: last ?? after };
}

/** The title, then one line per change record, within git's message bound. */
function commitMessage(title: string, changes: ChangesSince): string {
	let message = sanitizeText(title, { maxLength: 200 });
	let more = changes.more;
	if (changes.lines.length > 0) message += '\n';
	const budget = MAX_COMMIT_MESSAGE_BYTES - 100;
	for (const [index, line] of changes.lines.entries()) {
		if (Buffer.byteLength(message) + Buffer.byteLength(line) + 1 > budget) {
			more += changes.lines.length - index;
			break;
		}
		message += `\n${line}`;
	}
	return more > 0 ? `${message}\n- … and ${more} more` : message;
}

async function prepareWorkingCopy(options: ExportOptions): Promise<void> {
	const dir = options.workdir;
	const hasCopy = existsSync(join(dir, '.git'));
	if (options.url === undefined) {
		if (!hasCopy) {
			throw serverError(
				'INVALID_OPTIONS',
				`${sanitizeText(dir)} is not a working copy of a registry repository.`,
				{
					hint: 'Give the repository address to clone, or clone it there first.',
				},
			);
		}
		return;
	}
	if (!hasCopy) {
		await options.git.clone({
			url: options.url,
			dest: dir,
			ref: options.branch,
			refType: 'branch',
		});
		return;
	}
	const fetched = await options.git.fetch({
		dir,
		url: options.url,
		ref: options.branch,
		refType: 'branch',
	});
	await options.git.checkout({ dir, commit: fetched.commit, branch: options.branch, force: true });
}

export async function exportToRepository(options: ExportOptions): Promise<ExportOutcome> {
	const path = options.path ?? 'plugins.toml';
	relativeParts(path);
	const document = await options.store.document();
	if (document === undefined) {
		throw serverError(
			'NOT_FOUND',
			'The service holds no registry yet; there is nothing to export.',
			{
				hint: 'Import one first: vouch-server import plugins.toml.',
			},
		);
	}
	const dir = resolve(options.workdir);
	const target = options.url === undefined ? dir : redactUrlCredentials(options.url);
	const stateName = `export ${target} ${options.branch} ${path}`;
	await prepareWorkingCopy(options);

	await writeFileIn(dir, path, document.text, MAX_REGISTRY_BYTES);
	const base = dirname(path) === '.' ? '' : `${dirname(path)}/`;
	const writtenDirs = new Set([dirname(join(dir, path))]);
	let reportsWritten = 0;
	for (const report of await storedScanReports(options.database)) {
		const name = `${base}${report.name}`;
		if (await writeFileIn(dir, name, report.text, MAX_SCAN_REPORT_BYTES)) reportsWritten++;
		writtenDirs.add(dirname(join(dir, name)));
	}
	// A write cut short by a crash leaves a temp file beside its target; it must not be committed.
	for (const written of writtenDirs) await removeStaleTempFiles(written, { minAgeMs: 0 });

	const state = await readSyncState(options.database.db, stateName);
	const changes = await changesSince(options.database, state.changeSeq);
	const reportsDir = `${base}${SCAN_REPORTS_DIR}`;
	const paths = (await isDirectoryIn(dir, reportsDir)) ? [path, reportsDir] : [path];
	const made = await options.git.commit({
		dir,
		paths,
		message: commitMessage(options.message ?? 'Registry export', changes),
		author: options.author,
	});
	let pushed = false;
	if (made.commit !== undefined && options.url !== undefined) {
		await options.git.push({ dir, url: options.url, branch: options.branch });
		pushed = true;
	}
	await writeSyncState(
		options.database.db,
		stateName,
		{ commit: made.commit ?? state.commit, changeSeq: changes.lastSeq },
		options.clock(),
	);
	return {
		...(made.commit === undefined ? {} : { commit: made.commit }),
		pushed,
		changes: made.commit === undefined ? 0 : changes.lines.length + changes.more,
		reportsWritten,
	};
}
