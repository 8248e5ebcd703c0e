/**
 * The registry file a maintainer command names (`registry lint <file>`, `--registry <file>`),
 * read in one place, so that every `registry` subcommand answers a wrong path the same way: the
 * path it tried and what to give instead, never a bare "does not exist".
 */
import { readFileBounded } from '@vouch/library/internal/core/atomic-fs';
import { isVouchError } from '@vouch/library/internal/core/errors';
import { registryError } from '@vouch/library/internal/registry/errors';
import { MAX_REGISTRY_BYTES } from '@vouch/library/internal/registry/parse';
import { safe } from './style.ts';

/** The file's text, bounded; a missing file is REGISTRY_NOT_FOUND with a hint. */
export async function readRegistryFile(
	path: string,
	options: { cwd: string; hint?: string },
): Promise<string> {
	try {
		return (await readFileBounded(path, MAX_REGISTRY_BYTES)).toString('utf8');
	} catch (error) {
		if (!isVouchError(error) || error.code !== 'FILE_NOT_FOUND') throw error;
		throw registryError('REGISTRY_NOT_FOUND', `There is no registry file at ${safe(path)}.`, {
			hint:
				options.hint ??
				`Check the path (a relative one is read from ${safe(options.cwd)}): a registry is a plugins.toml or registry JSON file.`,
			cause: error,
			details: { path },
		});
	}
}
