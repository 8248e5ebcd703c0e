/**
 * The real repository port of `registry validate` (`registry/validate/repository-port.ts`):
 * one ls-remote and one shallow fetch of the branch and tag tips the checks read, then each
 * MANIFEST.toml read from that fetch with the manifest reader's own rules, and pinned trees
 * digested the way `registry pin` and install digest them. It lives here because it joins git,
 * the manifest reader and the tree digest, which only the lifecycle may combine.
 */
import { join } from 'node:path';
import { isVouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { Git } from '../git/git.ts';
import { MAX_MANIFEST_BYTES } from '../manifest/limits.ts';
import { parseManifestText } from '../manifest/parse.ts';
import { MANIFEST_FILE_NAME } from '../manifest/read.ts';
import type {
	ManifestAtCommit,
	OpenedRepository,
	RepositoryProbe,
} from '../registry/validate/repository-port.ts';
import type { TreeDigest } from './store/digest.ts';

export interface RegistryProbeDeps {
	git: Pick<Git, 'lsRemote' | 'snapshot' | 'readFileAt' | 'checkout'>;
	digest(dir: string): Promise<TreeDigest>;
	/** A fresh private directory, and its removal. */
	makeTempDir(): Promise<string>;
	removeDir(path: string): Promise<void>;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function createRegistryProbe(deps: RegistryProbeDeps): RepositoryProbe {
	return {
		async open(gitUrl, signal) {
			const call = signal === undefined ? {} : { signal };
			const listing = await deps.git.lsRemote(gitUrl, call);
			let parent: string | undefined;
			const snapshotDir = () => {
				if (parent === undefined) throw new Error('the repository was read before its fetch');
				return join(parent, 'snapshot');
			};
			// A branch and a tag often name one commit: its manifest is read once.
			const manifests = new Map<string, Promise<ManifestAtCommit>>();
			const opened: OpenedRepository = {
				listing,
				async fetch(wanted) {
					parent = await deps.makeTempDir();
					await deps.git.snapshot({ url: gitUrl, dest: snapshotDir(), only: wanted }, call);
				},
				manifestAt(commit) {
					let read = manifests.get(commit);
					if (read === undefined) {
						read = manifestAt(deps, snapshotDir(), commit, call);
						manifests.set(commit, read);
					}
					return read;
				},
				async treeDigestAt(commit) {
					const dir = snapshotDir();
					await deps.git.checkout({ dir, commit, force: true }, call);
					return (await deps.digest(dir)).treeDigest;
				},
				async close() {
					if (parent !== undefined) await deps.removeDir(parent);
				},
			};
			return opened;
		},
	};
}

async function manifestAt(
	deps: RegistryProbeDeps,
	dir: string,
	commit: string,
	call: { signal?: AbortSignal },
): Promise<ManifestAtCommit> {
	const file = await deps.git.readFileAt(
		{ dir, commit, path: MANIFEST_FILE_NAME, maxBytes: MAX_MANIFEST_BYTES },
		call,
	);
	if (file.kind === 'missing') return { kind: 'missing' };
	if (file.kind === 'not-a-file') {
		// A symlinked manifest could point anywhere on a reader's disk: it is never followed.
		return { kind: 'invalid', problem: `${MANIFEST_FILE_NAME} is not a regular file.` };
	}
	if (file.kind === 'too-large') {
		return {
			kind: 'invalid',
			problem: `${MANIFEST_FILE_NAME} is ${file.size} bytes; at most ${MAX_MANIFEST_BYTES} are read.`,
		};
	}
	let text: string;
	try {
		text = UTF8.decode(file.bytes);
	} catch {
		return { kind: 'invalid', problem: `${MANIFEST_FILE_NAME} is not UTF-8.` };
	}
	try {
		const result = parseManifestText(text, MANIFEST_FILE_NAME);
		if (result.manifest === undefined) {
			const shown = result.errors
				.slice(0, 3)
				.map((issue) => issue.message)
				.join('; ');
			return { kind: 'invalid', problem: sanitizeText(shown, { maxLength: 300 }) };
		}
		return { kind: 'valid', uuid: result.manifest.uuid };
	} catch (error) {
		if (!isVouchError(error)) throw error;
		return { kind: 'invalid', problem: sanitizeText(error.message, { maxLength: 300 }) };
	}
}
