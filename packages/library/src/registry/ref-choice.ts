/**
 * Which git ref to install (D15): a requested ref must exist; otherwise the newest version
 * tag whose manifest API intersects the host's, then the first registry ref whose bounds
 * allow the host. When nothing is compatible this stops with the list instead of falling
 * back to a ref the host cannot load (the reference falls back to the first ref).
 */
import {
	type ApiVersion,
	apiVersionsIntersect,
	compareApiVersions,
	parseApiVersion,
} from '../core/api-version.ts';
import { VouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { isVersionTag, sortTagsNewestFirst, type VersionScheme } from '../core/versions.ts';
import type { RegistryRef } from './model.ts';

export type RefChoiceErrorCode =
	/** The requested ref is not among the refs the remote or the registry has. */
	| 'REF_NOT_FOUND'
	/** No tag and no registry ref supports any of the host's API versions. */
	| 'NO_COMPATIBLE_REF';

export interface TagInfo {
	name: string;
	/** The tag's manifest `api` list, when it has been read. */
	api?: string[];
}

export interface ChooseRefInput {
	refs: RegistryRef[];
	hostApiVersions: string[];
	tags?: TagInfo[];
	scheme?: VersionScheme;
	requestedRef?: string;
	/** Every ref name the remote has (branches and tags), when it was listed. */
	availableRefs?: string[];
	includePreRelease?: boolean;
}

export interface RefChoice {
	ref: string;
	kind: 'tag' | 'ref';
	/** Why this ref was chosen, for the user. */
	reason: string;
}

/** How many names an error message lists; `details` carries the same bounded list. */
const MAX_LISTED = 50;

/**
 * Whether a registry ref's inclusive `min_api_version`/`max_api_version` bounds contain at
 * least one host API version. A missing bound is open; an unreadable one allows nothing,
 * because guessing could install code the host cannot load.
 */
export function refAllowsApi(ref: RegistryRef, hostApiVersions: readonly string[]): boolean {
	const min = boundOf(ref.minApiVersion);
	const max = boundOf(ref.maxApiVersion);
	if (min === null || max === null) return false;
	return hostApiVersions.some((text) => {
		const host = parseApiVersion(text);
		if (host === undefined) return false;
		if (min !== undefined && compareApiVersions(host, min) < 0) return false;
		if (max !== undefined && compareApiVersions(host, max) > 0) return false;
		return true;
	});
}

/** undefined: no bound; null: a bound that cannot be parsed. */
function boundOf(text: string | undefined): ApiVersion | undefined | null {
	if (text === undefined || text.trim() === '') return undefined;
	return parseApiVersion(text.trim()) ?? null;
}

export function chooseRef(input: ChooseRefInput): RefChoice {
	if (input.requestedRef !== undefined) return requestedRef(input, input.requestedRef);
	const tag = newestCompatibleTag(input);
	if (tag !== undefined) {
		return { ref: tag, kind: 'tag', reason: 'newest version tag compatible with the host API' };
	}
	const ref = input.refs.find((candidate) => refAllowsApi(candidate, input.hostApiVersions));
	if (ref !== undefined) {
		return {
			ref: ref.name,
			kind: 'ref',
			reason: 'first registry ref compatible with the host API',
		};
	}
	throw noCompatibleRef(input);
}

/** D15: a ref that does not exist is an error, never a silent fall back to another ref. */
function requestedRef(input: ChooseRefInput, requested: string): RefChoice {
	const tagNames = (input.tags ?? []).map((tag) => tag.name);
	const known = input.availableRefs ?? [...input.refs.map((ref) => ref.name), ...tagNames];
	if (!known.includes(requested)) {
		const listed = [...new Set(known)].slice(0, MAX_LISTED);
		throw new VouchError<RefChoiceErrorCode>(
			'REF_NOT_FOUND',
			`The ref ${sanitizeText(requested, { maxLength: 120 })} does not exist. Available: ${
				listed.length === 0 ? '(none)' : listed.map((name) => sanitizeText(name)).join(', ')
			}${known.length > listed.length ? ', …' : ''}.`,
			{
				hint: 'Pick one of the listed refs, or leave --ref out to choose automatically.',
				details: { requested, available: listed },
			},
		);
	}
	const isTag =
		tagNames.includes(requested) ||
		(input.scheme !== undefined && isVersionTag(requested, input.scheme));
	return { ref: requested, kind: isTag ? 'tag' : 'ref', reason: 'requested' };
}

/**
 * Tags whose API is unknown are trusted only when no candidate tag has API data at all:
 * once some tags say which API they target, an unknown one may be for any host.
 */
function newestCompatibleTag(input: ChooseRefInput): string | undefined {
	if (input.scheme === undefined || input.tags === undefined) return undefined;
	const options = { includePreRelease: input.includePreRelease === true };
	const byName = new Map<string, TagInfo>();
	for (const tag of input.tags) if (!byName.has(tag.name)) byName.set(tag.name, tag);
	const ordered = sortTagsNewestFirst([...byName.keys()], input.scheme, options);
	const anyKnownApi = ordered.some((name) => byName.get(name)?.api !== undefined);
	return ordered.find((name) => {
		const api = byName.get(name)?.api;
		if (api === undefined) return !anyKnownApi;
		return apiVersionsIntersect(api, input.hostApiVersions);
	});
}

function noCompatibleRef(input: ChooseRefInput): VouchError<RefChoiceErrorCode> {
	const refs = input.refs.slice(0, MAX_LISTED).map((ref) => ({
		name: ref.name,
		...(ref.minApiVersion === undefined ? {} : { minApiVersion: ref.minApiVersion }),
		...(ref.maxApiVersion === undefined ? {} : { maxApiVersion: ref.maxApiVersion }),
	}));
	const tags = (input.tags ?? [])
		.slice(0, MAX_LISTED)
		.map((tag) => ({ name: tag.name, ...(tag.api === undefined ? {} : { api: [...tag.api] }) }));
	const lines = [
		...refs.map((ref) => `${sanitizeText(ref.name)} (API ${describeBounds(ref)})`),
		...tags.map(
			(tag) =>
				`${sanitizeText(tag.name)} (API ${tag.api === undefined ? 'unknown' : sanitizeText(tag.api.join(', '))})`,
		),
	];
	const host = input.hostApiVersions.map((v) => sanitizeText(v)).join(', ');
	return new VouchError<RefChoiceErrorCode>(
		'NO_COMPATIBLE_REF',
		`No ref supports the host API (${host || 'none'}). Refs: ${lines.length === 0 ? '(none)' : lines.join('; ')}.`,
		{
			hint: 'Ask the plugin author for a compatible release, or pass --ref to choose one yourself.',
			details: { hostApiVersions: [...input.hostApiVersions], refs, tags },
		},
	);
}

function describeBounds(ref: { minApiVersion?: string; maxApiVersion?: string }): string {
	const min = ref.minApiVersion === undefined ? '' : sanitizeText(ref.minApiVersion);
	const max = ref.maxApiVersion === undefined ? '' : sanitizeText(ref.maxApiVersion);
	if (min === '' && max === '') return 'any';
	return `${min || '*'} to ${max || '*'}`;
}
