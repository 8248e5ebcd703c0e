/**
 * Where a symlink inside a plugin really leads. The one home of the "links stay inside the
 * plugin" rule, used by the install check and by the scanner's walk.
 *
 * The answer comes from the file system (`realpath`), never from the link's text: a link
 * whose text stays inside can still leave through another link it passes (`a/b/up -> ..`,
 * then `x -> a/b/up/../../..`), which a lexical check reads as a path inside the plugin. The
 * kernel bounds the chain it follows (ELOOP after 40 links), so loops and long chains end.
 * `fs/promises` `realpath` asks the operating system; `fs.realpathSync` (without `.native`)
 * would not do: it joins a link's target onto the path as text, `..` included.
 */
import { readlink, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';

export type LinkResolution =
	/** The link's real target is inside the plugin: `relative` is `/`-separated from the root. */
	| { status: 'inside'; realPath: string; relative: string; kind: 'file' | 'directory' | 'other' }
	/** The real target is outside the plugin's real root. */
	| { status: 'outside'; target: string }
	/** The link leads to the plugin root itself: a cycle for anything that follows links. */
	| { status: 'root'; target: string }
	/** Nothing is there (any link of the chain). */
	| { status: 'dangling'; target: string }
	/** A loop, or a chain longer than the kernel follows. */
	| { status: 'loop'; target: string }
	/** Could not be resolved for another reason (permissions, I/O). */
	| { status: 'unresolvable'; target: string; code: string };

/** Statuses a plugin may hold: only a link whose real target is inside it. */
export function isContained(resolution: LinkResolution): boolean {
	return resolution.status === 'inside';
}

/** The real path of a plugin's root, against which its links are judged. */
export function realRoot(root: string): Promise<string> {
	return realpath(root);
}

/** The real path `inside` is below `root` (both real paths); '' for the root itself. */
export function containedPath(root: string, path: string): string | undefined {
	const rel = relative(root, path);
	if (rel === '') return '';
	if (isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return undefined;
	return rel.split(sep).join('/');
}

/**
 * Resolves the link at `linkPath` (anywhere under the plugin) against the plugin's real root
 * (from `realRoot`). Never throws for what the link holds: every outcome is a status.
 */
export async function resolvePluginLink(
	pluginRealRoot: string,
	linkPath: string,
): Promise<LinkResolution> {
	let target: string;
	try {
		target = await readlink(linkPath);
	} catch (error) {
		return { status: 'unresolvable', target: '?', code: errorCode(error) };
	}
	let real: string;
	try {
		real = await realpath(linkPath);
	} catch (error) {
		const code = errorCode(error);
		if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'dangling', target };
		if (code === 'ELOOP' || code === 'ENAMETOOLONG') return { status: 'loop', target };
		return { status: 'unresolvable', target, code };
	}
	const inside = containedPath(pluginRealRoot, real);
	if (inside === undefined) return { status: 'outside', target };
	if (inside === '') return { status: 'root', target };
	let kind: 'file' | 'directory' | 'other';
	try {
		const info = await stat(real);
		kind = info.isFile() ? 'file' : info.isDirectory() ? 'directory' : 'other';
	} catch (error) {
		return { status: 'unresolvable', target, code: errorCode(error) };
	}
	return { status: 'inside', realPath: real, relative: inside, kind };
}

/** Why a link is refused, in words (the caller sanitises the link's own text). */
export function linkProblem(resolution: Exclude<LinkResolution, { status: 'inside' }>): string {
	switch (resolution.status) {
		case 'outside':
			return 'leads outside the plugin';
		case 'root':
			return 'leads back to the plugin root';
		case 'dangling':
			return 'leads nowhere (dangling)';
		case 'loop':
			return 'is a loop or too long a chain of links';
		case 'unresolvable':
			return `could not be resolved (${resolution.code.slice(0, 20)})`;
	}
}

function errorCode(error: unknown): string {
	const code = (error as { code?: unknown }).code;
	return typeof code === 'string' ? code : 'EIO';
}
