/**
 * Bounds on registry input. A registry comes from the network, so every size, count and
 * length a client accepts is capped: a hostile or broken source can make loading fail, but
 * never make it slow or exhaust memory.
 */
import { MAX_URL_LENGTH } from '../core/canonical-url.ts';
import { MAX_PATTERN_LENGTH } from '../core/pyregex.ts';

/** Largest registry text accepted, in UTF-8 bytes (also the default network read limit). */
export const MAX_REGISTRY_BYTES = 16 * 1024 * 1024;

export const REGISTRY_LIMITS = {
	maxBytes: MAX_REGISTRY_BYTES,
	maxPlugins: 100_000,
	maxBlacklistEntries: 100_000,
	/** Nesting of arrays and tables. The real format needs four levels. */
	maxDepth: 16,
	/** Inline arrays and tables in TOML (smol-toml's own bound, checked while parsing). */
	maxTomlInlineDepth: 8,
	/** ids, UUIDs, trust levels, timestamps, ref names, API versions, categories. */
	shortText: 256,
	id: 100,
	name: 1_000,
	description: 10_000,
	/** A blacklist entry's `advice`: a few sentences a user reads in a notice. */
	advice: 1_000,
	url: MAX_URL_LENGTH,
	/** `regex:` plus a pattern of the largest length RE2 is asked to compile. */
	versioningScheme: MAX_PATTERN_LENGTH + 64,
	/** Longer than any compilable pattern, so an over-long one is still reported, not refused. */
	urlRegex: 4 * MAX_PATTERN_LENGTH,
	person: 1_000,
	/** An SSH public key line. */
	signer: 16_384,
	refs: 1_000,
	categories: 100,
	people: 1_000,
	redirects: 1_000,
	releases: 10_000,
	signers: 100,
	/** Recorded trust and URL changes of one plugin. */
	changes: 10_000,
	locales: 500,
	/** Warnings kept per load; the rest are counted in one summary warning. */
	warnings: 200,
} as const;
