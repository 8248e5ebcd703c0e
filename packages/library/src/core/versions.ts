/**
 * Version tags and plugin versions (D14): picking the newest tag for an install, the tags
 * newer than an installed one for an update, and matching a plugin version against a
 * blacklist `versions` range. Pure functions over lists; git listing happens elsewhere.
 */
import { semver } from './semver.ts';
import {
	compareTags,
	isPreReleaseTag,
	isVersionTag,
	type TagOptions,
	tagMatchesScheme,
	type VersionScheme,
} from './tag-schemes.ts';

export {
	compareTags,
	isPreReleaseTag,
	isVersionTag,
	MAX_TAG_LENGTH,
	parseVersioningScheme,
	type TagOptions,
	tagMatchesScheme,
	type VersionScheme,
} from './tag-schemes.ts';

/** Longer versions and ranges are refused: they only serve to slow the parser down. */
export const MAX_VERSION_LENGTH = 256;

/**
 * The candidate tags of the scheme, newest first, without duplicates. Equal versions
 * (`v1.0.0` and `release-1.0.0`) are ordered by name so the result never depends on
 * the order the remote listed them in.
 */
export function sortTagsNewestFirst(
	tags: readonly string[],
	scheme: VersionScheme,
	options: TagOptions = {},
): string[] {
	const candidates = [...new Set(tags)].filter((tag) => tagMatchesScheme(tag, scheme, options));
	return candidates.sort((a, b) => compareTags(b, a, scheme) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The newest candidate tag, or undefined when none matches the scheme. */
export function newestTag(
	tags: readonly string[],
	scheme: VersionScheme,
	options: TagOptions = {},
): string | undefined {
	return sortTagsNewestFirst(tags, scheme, options)[0];
}

/**
 * Tags strictly newer than `current`, newest first, for update checks. An installed
 * pre-release keeps pre-releases in play (D14). A `current` that is not a version of the
 * scheme (a branch, `stable`, a commit) never moves, so the answer is then empty.
 */
export function newerTags(
	current: string,
	tags: readonly string[],
	scheme: VersionScheme,
	options: TagOptions = {},
): string[] {
	if (!isVersionTag(current, scheme)) return [];
	const includePreRelease = options.includePreRelease === true || isPreReleaseTag(current, scheme);
	return sortTagsNewestFirst(tags, scheme, { includePreRelease }).filter(
		(tag) => compareTags(tag, current, scheme) > 0,
	);
}

const PLUGIN_VERSION =
	/^\D*(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * A plugin version (`v1.2`, `release-2.0.0-rc.1`, `3`) as a semver string for range
 * matching: prefix stripped, one to three numbers padded to three, build metadata dropped.
 * Undefined when it is not such a version.
 */
export function pluginVersionToSemver(version: string): string | undefined {
	if (typeof version !== 'string') return undefined;
	const text = version.trim();
	if (text.length === 0 || text.length > MAX_VERSION_LENGTH) return undefined;
	const m = PLUGIN_VERSION.exec(text);
	if (!m) return undefined;
	const numbers = [m[1] ?? '0', m[2] ?? '0', m[3] ?? '0'];
	if (numbers.some((n) => n.length > 15)) return undefined;
	const core = numbers.map((n) => String(Number(n))).join('.');
	const parsed = semver().parse(m[4] === undefined ? core : `${core}-${m[4]}`);
	return parsed?.version;
}

/**
 * The version a git tag names, as semver for range matching: under the registry's scheme only
 * a version tag of that scheme counts; without a scheme any `v1.2.3`-like tag does. Undefined
 * for a tag that names no version (`stable`, `latest`).
 */
export function tagVersion(tag: string, scheme?: VersionScheme): string | undefined {
	if (typeof tag !== 'string') return undefined;
	if (scheme !== undefined && !isVersionTag(tag, scheme)) return undefined;
	return pluginVersionToSemver(tag);
}

/** A non-empty semver range (`<1.2.0`, `>=2.0.0 <2.3.1 || 3.x`) of bounded length. */
export function isValidRange(range: string): boolean {
	if (typeof range !== 'string') return false;
	const text = range.trim();
	if (text.length === 0 || text.length > MAX_VERSION_LENGTH) return false;
	return semver().validRange(text) !== null;
}

/**
 * Whether a plugin version falls in a blacklist range (D4); undefined when either cannot
 * be parsed, so the caller decides what an unreadable entry means. Pre-releases inside the
 * range match (`1.1.0-rc1` is in `<1.2.0`): a blacklist must not be dodged by a suffix.
 */
export function satisfiesRange(version: string, range: string): boolean | undefined {
	const normalised = pluginVersionToSemver(version);
	if (normalised === undefined || !isValidRange(range)) return undefined;
	return semver().satisfies(normalised, range.trim(), { includePrerelease: true });
}
