/**
 * Parsing of `git ls-remote --symref` output into the remote's default branch, branches and
 * tags. Pure, so it is tested on literal output. The listing comes from the server: names that
 * git itself would refuse as ref names are dropped here, so nothing downstream has to wonder.
 */
import { refNameProblem } from './arguments.ts';
import { gitError } from './errors.ts';

export interface RemoteRefs {
	/** The remote's HEAD: the ref it points at (`refs/heads/main`), when advertised, and its commit. */
	head?: { target?: string; commit: string };
	/** Branch name (without `refs/heads/`) → commit id. */
	branches: Map<string, string>;
	/** Tag name (without `refs/tags/`) → the commit of an annotated tag, else the tag's id. */
	tags: Map<string, string>;
}

/** Most lines accepted from one listing; hosts with huge pull-request ref sets stay below. */
export const MAX_LS_REMOTE_LINES = 200_000;

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const PEELED_SUFFIX = '^{}';

export function parseLsRemote(text: string, maxLines = MAX_LS_REMOTE_LINES): RemoteRefs {
	const branches = new Map<string, string>();
	const tagObjects = new Map<string, string>();
	const peeled = new Map<string, string>();
	let headTarget: string | undefined;
	let headCommit: string | undefined;
	let lines = 0;

	for (const rawLine of text.split('\n')) {
		const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
		if (line.length === 0) continue;
		lines++;
		if (lines > maxLines) {
			throw gitError(
				'GIT_OUTPUT_TOO_LARGE',
				`The remote advertises more than ${maxLines} refs; it was not used.`,
			);
		}
		const tab = line.indexOf('\t');
		if (tab === -1) continue;
		const left = line.slice(0, tab);
		const name = line.slice(tab + 1);
		if (left.startsWith('ref: ')) {
			// `ref: refs/heads/main<TAB>HEAD`: where a symbolic ref points.
			const target = left.slice(5);
			if (name === 'HEAD' && target.startsWith('refs/') && refNameProblem(target) === undefined) {
				headTarget = target;
			}
			continue;
		}
		const id = left.toLowerCase();
		if (!OBJECT_ID.test(id)) continue;
		if (name === 'HEAD') {
			headCommit = id;
		} else if (name.startsWith('refs/heads/')) {
			const branch = name.slice('refs/heads/'.length);
			if (refNameProblem(branch) === undefined) branches.set(branch, id);
		} else if (name.startsWith('refs/tags/')) {
			const isPeeled = name.endsWith(PEELED_SUFFIX);
			const tag = name.slice('refs/tags/'.length, isPeeled ? -PEELED_SUFFIX.length : undefined);
			if (refNameProblem(tag) !== undefined) continue;
			(isPeeled ? peeled : tagObjects).set(tag, id);
		}
	}

	const tags = new Map<string, string>();
	for (const [tag, id] of tagObjects) tags.set(tag, peeled.get(tag) ?? id);
	const refs: RemoteRefs = { branches, tags };
	if (headCommit !== undefined) {
		refs.head =
			headTarget === undefined
				? { commit: headCommit }
				: { target: headTarget, commit: headCommit };
	}
	return refs;
}
