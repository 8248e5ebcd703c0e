/**
 * Versioning schemes of registry plugins (D14): which git tags are versions, which of
 * them are pre-releases, and how they are ordered. Tag names come from a remote's ref
 * list, so they are untrusted: every check is bounded and linear in the tag length.
 */
import type SemVer from 'semver/classes/semver.js';
import { coreError, isVouchError } from './errors.ts';
import { type CompiledPattern, compilePythonPattern } from './pyregex.ts';
import { sanitizeText } from './sanitize.ts';
import { semver } from './semver.ts';

export type VersionScheme =
	| { kind: 'semver' }
	| { kind: 'calver' }
	| { kind: 'regex'; pattern: CompiledPattern; source: string };

export interface TagOptions {
	/** Count pre-release tags as candidates (`--pre`, or the installed tag is one). */
	includePreRelease?: boolean;
}

/** Longer names are never version tags: no real tag needs more, and it bounds every scan. */
export const MAX_TAG_LENGTH = 255;

/** The reference's release filter: any non-digit prefix, then two or three numbers. */
const SEMVER_RELEASE = /^\D*\d+\.\d+(?:\.\d+)?$/;
/** Three numbers and a semver pre-release part: a candidate only when pre-releases are wanted. */
const SEMVER_PRE_RELEASE = /^\D*\d+\.\d+\.\d+-[0-9A-Za-z.-]+$/;
const SEMVER_PARTS = /^\D*(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;
const CALVER = /^(\d{4})\.(\d{2})\.(\d{2})$/;
/**
 * A pre-release word straight after a digit (`1.0.0-rc1`, `2.0b3`, `v1.2.3.dev0`). Custom
 * `regex:` schemes say nothing about pre-releases, so this is how D14 applies to them.
 */
const PRE_RELEASE_MARKER = /(?<=\d)[-._]?(?:alpha|beta|rc|dev|pre|preview|snapshot|a|b)(?![a-z])/i;
/** semver refuses numbers above Number.MAX_SAFE_INTEGER; longer digit runs cannot be versions. */
const MAX_NUMBER_DIGITS = 15;

/** `semver`, `calver` or `regex:<Python pattern>`, as written in a registry entry. */
export function parseVersioningScheme(text: string): VersionScheme {
	const value = typeof text === 'string' ? text.trim() : '';
	if (value === 'semver') return { kind: 'semver' };
	if (value === 'calver') return { kind: 'calver' };
	if (value.startsWith('regex:')) {
		const source = value.slice('regex:'.length);
		try {
			return { kind: 'regex', pattern: compilePythonPattern(source), source };
		} catch (error) {
			if (!isVouchError(error)) throw error;
			throw coreError(
				'INVALID_VERSION_SCHEME',
				`The versioning scheme pattern ${sanitizeText(source, { maxLength: 80 })} cannot be used: ${error.message}`,
				{ hint: error.hint ?? 'Fix the pattern in the registry entry.', cause: error },
			);
		}
	}
	throw coreError(
		'INVALID_VERSION_SCHEME',
		`Unknown versioning scheme ${sanitizeText(value, { maxLength: 80 })}.`,
		{ hint: 'Use semver, calver or regex:<pattern>.' },
	);
}

/** The semver version of a `semver`-scheme tag (prefix stripped, `1.0` read as `1.0.0`). */
export function semverOfTag(tag: string): SemVer | undefined {
	if (tag.length > MAX_TAG_LENGTH) return undefined;
	const m = SEMVER_PARTS.exec(tag);
	if (!m) return undefined;
	const numbers = [m[1], m[2], m[3] ?? '0'];
	if (numbers.some((n) => n === undefined || n.length > MAX_NUMBER_DIGITS)) return undefined;
	const core = numbers.map((n) => String(Number(n))).join('.');
	// semver.parse also rejects malformed pre-release parts (`rc..1`, `01`).
	return semver().parse(m[4] === undefined ? core : `${core}-${m[4]}`) ?? undefined;
}

function isSemverRelease(tag: string): boolean {
	return SEMVER_RELEASE.test(tag) && semverOfTag(tag) !== undefined;
}

function isSemverPreRelease(tag: string): boolean {
	return SEMVER_PRE_RELEASE.test(tag) && semverOfTag(tag) !== undefined;
}

/** Whether the tag is a pre-release under the scheme (never, for calver). */
export function isPreReleaseTag(tag: string, scheme: VersionScheme): boolean {
	if (typeof tag !== 'string' || tag.length > MAX_TAG_LENGTH) return false;
	switch (scheme.kind) {
		case 'semver':
			return isSemverPreRelease(tag);
		case 'calver':
			return false;
		case 'regex':
			return PRE_RELEASE_MARKER.test(tag);
	}
}

/** A release or pre-release tag of the scheme, whatever the pre-release policy. */
export function isVersionTag(tag: string, scheme: VersionScheme): boolean {
	if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_TAG_LENGTH) return false;
	switch (scheme.kind) {
		case 'semver':
			return isSemverRelease(tag) || isSemverPreRelease(tag);
		case 'calver':
			return CALVER.test(tag);
		case 'regex':
			// Python re.match: anchored at the start only (add `$` to anchor the end).
			return scheme.pattern.matchStart(tag);
	}
}

/**
 * Whether the tag is a candidate version under the scheme. Pre-releases count only with
 * `includePreRelease`, so by default `1.0.0-rc1` is not a semver match (as in the reference).
 */
export function tagMatchesScheme(
	tag: string,
	scheme: VersionScheme,
	options: TagOptions = {},
): boolean {
	if (!isVersionTag(tag, scheme)) return false;
	return options.includePreRelease === true || !isPreReleaseTag(tag, scheme);
}

/**
 * Orders two tags under the scheme: negative when `a` is older. A total preorder over all
 * strings; tags that are not versions of the scheme sort below every version.
 * - semver: semver precedence, so a pre-release sorts below its release;
 * - calver: the numeric (year, month, day) tuple;
 * - regex: the integer runs of the tag compared as numbers (D14: `v10` > `v9`), a release above
 *   its pre-releases, then a natural string compare.
 */
export function compareTags(a: string, b: string, scheme: VersionScheme): number {
	switch (scheme.kind) {
		case 'semver':
			return compareOptional(semverOfTag(a), semverOfTag(b), (x, y) => semver().compare(x, y));
		case 'calver':
			return compareOptional(calverOf(a), calverOf(b), compareNumberRuns);
		case 'regex':
			return compareRegexTags(a, b);
	}
}

function compareOptional<T>(
	a: T | undefined,
	b: T | undefined,
	compare: (x: T, y: T) => number,
): number {
	if (a === undefined) return b === undefined ? 0 : -1;
	if (b === undefined) return 1;
	return compare(a, b);
}

function calverOf(tag: string): string[] | undefined {
	const m = CALVER.exec(tag);
	return m ? [m[1] ?? '', m[2] ?? '', m[3] ?? ''] : undefined;
}

/** Digit runs without leading zeros, so they compare as numbers of any size. */
function numberRuns(text: string): string[] {
	return (text.match(/\d+/g) ?? []).map((run) => run.replace(/^0+(?=\d)/, ''));
}

function compareNumberStrings(a: string, b: string): number {
	const x = a.replace(/^0+(?=\d)/, '');
	const y = b.replace(/^0+(?=\d)/, '');
	if (x.length !== y.length) return x.length - y.length;
	return x < y ? -1 : x > y ? 1 : 0;
}

/** Element by element; a sequence that is a prefix of the other is the smaller. */
function compareNumberRuns(a: readonly string[], b: readonly string[]): number {
	const n = Math.min(a.length, b.length);
	for (let i = 0; i < n; i++) {
		const diff = compareNumberStrings(a[i] ?? '0', b[i] ?? '0');
		if (diff !== 0) return diff;
	}
	return a.length - b.length;
}

interface RegexTagKey {
	release: string[];
	isRelease: boolean;
	preRelease: string[];
}

function regexTagKey(tag: string): RegexTagKey {
	const text = tag.slice(0, MAX_TAG_LENGTH + 1);
	const marker = PRE_RELEASE_MARKER.exec(text);
	if (!marker) return { release: numberRuns(text), isRelease: true, preRelease: [] };
	return {
		release: numberRuns(text.slice(0, marker.index)),
		isRelease: false,
		preRelease: numberRuns(text.slice(marker.index)),
	};
}

function compareRegexTags(a: string, b: string): number {
	const x = regexTagKey(a);
	const y = regexTagKey(b);
	return (
		compareNumberRuns(x.release, y.release) ||
		Number(x.isRelease) - Number(y.isRelease) ||
		compareNumberRuns(x.preRelease, y.preRelease) ||
		naturalCompare(a, b)
	);
}

/** Digit chunks compare as numbers, other chunks as text; plain order breaks the last ties. */
export function naturalCompare(a: string, b: string): number {
	const x = a.match(/\d+|\D+/g) ?? [];
	const y = b.match(/\d+|\D+/g) ?? [];
	const n = Math.min(x.length, y.length);
	for (let i = 0; i < n; i++) {
		const p = x[i] ?? '';
		const q = y[i] ?? '';
		const pDigits = /^\d/.test(p);
		const qDigits = /^\d/.test(q);
		let diff: number;
		if (pDigits && qDigits) diff = compareNumberStrings(p, q);
		else if (pDigits !== qDigits) diff = pDigits ? -1 : 1;
		else diff = p < q ? -1 : p > q ? 1 : 0;
		if (diff !== 0) return diff;
	}
	if (x.length !== y.length) return x.length - y.length;
	return a < b ? -1 : a > b ? 1 : 0;
}
