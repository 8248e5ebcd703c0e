/**
 * Bounds on manifest input. A manifest comes from an untrusted repository: every size, count
 * and length is capped, so a hostile one can fail validation but never make it slow.
 * The field lengths marked "reference" are the documented format; the rest are generous
 * Vouch bounds on fields the reference leaves open.
 */
import { MAX_URL_LENGTH } from '../core/canonical-url.ts';

/** Largest MANIFEST.toml accepted, in UTF-8 bytes; checked before parsing. */
export const MAX_MANIFEST_BYTES = 256 * 1024;

/** Nesting of tables and arrays. A valid manifest needs two levels. */
export const MAX_MANIFEST_DEPTH = 16;

export const FIELD_LIMITS = {
	/** reference */
	name: 100,
	/** reference */
	description: 200,
	/** reference */
	longDescription: 2000,
	license: 100,
	url: MAX_URL_LENGTH,
	minPythonVersion: 32,
	/** `parseApiVersion` refuses anything longer anyway. */
	version: 64,
	sourceLocale: 16,
	person: 200,
	category: 64,
	apiEntries: 32,
	people: 100,
	categories: 32,
	locales: 200,
	localeKey: 35,
} as const;
