/**
 * Name checks for everything the store turns into a path. Names come from manifests, from
 * `state.json` and from journals, all of which a hostile plugin or a hand edit can shape, so a
 * name is accepted only when it cannot climb out of the directory it is joined to.
 */

/** A single path segment: starts with a letter or digit, then letters, digits, `.`, `_`, `-`. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_SEGMENT_LENGTH = 255;
export const MAX_RELATIVE_PATH_LENGTH = 4096;

export function isSafeSegment(name: unknown): name is string {
	return (
		typeof name === 'string' &&
		name.length <= MAX_SEGMENT_LENGTH &&
		SAFE_SEGMENT.test(name) &&
		!name.includes('..')
	);
}

/**
 * A relative POSIX path inside a plugin directory, as recorded by `digestTree`: no leading
 * `/`, no empty, `.` or `..` segment, no NUL. Other characters are allowed: file names in a
 * plugin are the author's choice, and they are only ever joined below the plugin directory.
 */
export function isSafeRelativePath(path: unknown): path is string {
	if (typeof path !== 'string' || path.length === 0 || path.length > MAX_RELATIVE_PATH_LENGTH) {
		return false;
	}
	if (path.includes('\0')) return false;
	return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** `2024-05-01T12:30:00.000Z` → `20240501T123000Z`: sortable, and a safe segment. */
export function compactTimestamp(date: Date): string {
	return date
		.toISOString()
		.replace(/\.\d+Z$/, 'Z')
		.replace(/[-:]/g, '');
}
