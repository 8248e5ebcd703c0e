/**
 * Opens a registry's transparency log for the maintainer and watcher commands (`vouch registry
 * log ...`): from a repository directory or URL, with the verifier key given, or, for a local
 * repository, the key its newest targets metadata publishes (its maintainer's own copy).
 * The checkpoint's signature is checked before any tile is read.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileBounded } from '../../core/atomic-fs.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { openCheckpoint, type SignedCheckpoint } from '../../log/checkpoint.ts';
import { parseVerifierKey } from '../../log/note-keys.ts';
import { TileLog } from '../../log/tile-reader.ts';
import { tufError } from '../errors.ts';
import { hashedTargetName, LOG_KEY_TARGET, versionedName } from '../metadata.ts';
import { readOptionalMetadata, readRepositoryState } from '../repository/layout.ts';
import { DEFAULT_TUF_TIMEOUT_MS } from './defaults.ts';
import { type LogSource, logSource } from './log-source.ts';
import { repositoryUrls } from './url-policy.ts';

export interface OpenLogOptions {
	/** A repository directory (absolute path) or URL. */
	location: string;
	/** The verifier key text; required for a URL. */
	verifierKey?: string;
	fetch?: typeof fetch;
	timeoutMs?: number;
}

export interface OpenedLog {
	source: LogSource;
	verifierKey: string;
	checkpoint: SignedCheckpoint;
	log: TileLog;
}

export async function openRegistryLog(options: OpenLogOptions): Promise<OpenedLog> {
	const urls = repositoryUrls(options.location);
	const verifierKey = (
		options.verifierKey ?? (await keyOfLocalRepository(options.location, urls.base))
	).trim();
	const source = logSource({
		urls,
		fetch: options.fetch ?? fetch,
		timeoutMs: options.timeoutMs ?? DEFAULT_TUF_TIMEOUT_MS,
	});
	const checkpoint = openCheckpoint(await source.readCheckpoint(), parseVerifierKey(verifierKey));
	return {
		source,
		verifierKey,
		checkpoint,
		log: new TileLog({ readTile: source.readTile, size: checkpoint.size, root: checkpoint.root }),
	};
}

/** The `log-key.txt` target named by a local repository's newest targets metadata. */
export async function keyOfLocalRepository(location: string, base: string): Promise<string> {
	if (!base.startsWith('file:')) {
		throw tufError('TUF_LOG_MISSING', `No log key given for ${sanitizeText(location)}.`, {
			hint: "Pass --key with the log's verifier key (the repository's log-key.txt target).",
		});
	}
	const dir = fileURLToPath(base);
	// A wrong path is not a repository without a log key: say which it is.
	if (!(await isDirectory(dir))) {
		throw tufError('TUF_LOG_MISSING', `There is no repository directory at ${sanitizeText(dir)}.`, {
			hint: 'Give the directory `vouch registry publish --out` wrote, or its URL.',
		});
	}
	const state = await readRepositoryState(dir);
	const targets =
		state.versions.targets === 0
			? undefined
			: await readOptionalMetadata(
					join(dir, 'metadata', versionedName('targets', state.versions.targets)),
					'targets',
				);
	const info = targets?.signed.targets[LOG_KEY_TARGET];
	const sha256 = info?.hashes.sha256;
	if (info === undefined || sha256 === undefined) {
		throw tufError('TUF_LOG_MISSING', `${sanitizeText(dir)} publishes no log key.`, {
			hint: 'Publish it with a current `vouch registry publish`, or pass --key.',
		});
	}
	const bytes = await readFileBounded(
		join(dir, 'targets', hashedTargetName(LOG_KEY_TARGET, sha256)),
		1024,
	);
	return bytes.toString('utf8');
}

async function isDirectory(path: string): Promise<boolean> {
	return (await stat(path).catch(() => undefined))?.isDirectory() === true;
}
