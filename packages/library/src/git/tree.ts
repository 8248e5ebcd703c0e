/**
 * Reading a commit's tree from a repository without moving any working copy: the listing of its
 * files (path, blob, size), and an export of its files into a fresh directory for tools that
 * read a directory (the scanner). Both work on a bare repository, such as `registry hunt`'s
 * cache.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { assertCommitId, resolvePath } from './arguments.ts';
import { clearDestination, prepareDestination } from './destination.ts';
import { gitError } from './errors.ts';
import { type CallOptions, execGitChecked, type GitContext } from './exec.ts';

export interface TreeEntry {
	/** `100644`, `100755` (files), `120000` (symlink), `160000` (submodule). */
	mode: string;
	/** The blob's full id. */
	object: string;
	size: number;
	/** Relative, `/`-separated, as git stores it (raw: sanitise before showing it). */
	path: string;
}

export interface ListTreeRequest {
	dir: string;
	bare?: boolean;
	commit: string;
	/** A tree with more entries is refused (GIT_OUTPUT_TOO_LARGE). */
	maxEntries: number;
}

export interface ExportTreeRequest {
	/** A bare repository. */
	dir: string;
	commit: string;
	/** Must not exist, or be an empty directory. */
	dest: string;
}

/** Bytes of listing per entry allowed for: a long path and its fields. */
const LISTING_BYTES_PER_ENTRY = 4200;

/** Every blob of the commit's tree (symlinks included, as blobs; submodules left out). */
export async function listTree(
	context: GitContext,
	request: ListTreeRequest,
	call: CallOptions = {},
): Promise<TreeEntry[]> {
	const dir = resolvePath(request.dir, context.cwd);
	const commit = assertCommitId(request.commit);
	const result = await execGitChecked(
		context,
		{
			repo: dir,
			bare: request.bare === true,
			args: ['ls-tree', '-r', '-z', '--long', '--full-tree', commit],
			action: `listing the files of ${commit}`,
			network: false,
			maxStdoutBytes: request.maxEntries * LISTING_BYTES_PER_ENTRY,
		},
		call,
	);
	const entries: TreeEntry[] = [];
	for (const record of result.stdout.toString('utf8').split('\0')) {
		if (record === '') continue;
		const match = /^(\d{6}) (\w+) ([0-9a-f]{40,64}) +(-|\d+)\t([\s\S]+)$/.exec(record);
		if (match === null) {
			throw gitError('GIT_FAILED', `Unexpected listing of ${commit}.`);
		}
		const [, mode, type, object, size, path] = match;
		if (type !== 'blob') continue;
		entries.push({
			mode: mode as string,
			object: object as string,
			size: Number(size),
			path: path as string,
		});
		if (entries.length > request.maxEntries) {
			throw gitError(
				'GIT_OUTPUT_TOO_LARGE',
				`${commit} has more than ${request.maxEntries} files.`,
			);
		}
	}
	return entries;
}

/**
 * Writes the commit's files into `dest`. Symlinks become plain files holding their target's
 * name (`core.symlinks=false`), so a reader of `dest` can never be led outside it. The
 * repository's index is used and emptied again: one export at a time per repository.
 */
export async function exportTree(
	context: GitContext,
	request: ExportTreeRequest,
	call: CallOptions = {},
): Promise<void> {
	const dir = resolvePath(request.dir, context.cwd);
	const dest = resolvePath(request.dest, context.cwd);
	const commit = assertCommitId(request.commit);
	const created = await prepareDestination(dest);
	const run = (args: string[], action: string) =>
		execGitChecked(
			context,
			{
				repo: dir,
				bare: true,
				workTree: dest,
				args: ['-c', 'core.symlinks=false', ...args],
				action,
				network: false,
			},
			call,
		);
	const shown = `the files of ${commit} into ${sanitizeText(dest)}`;
	try {
		await run(['read-tree', commit], `reading ${shown}`);
		await run(['checkout-index', '--all', '--force'], `writing ${shown}`);
	} catch (error) {
		await clearDestination(dest, created);
		throw error;
	} finally {
		await run(['read-tree', '--empty'], 'emptying the index').catch(() => {});
	}
}
