/**
 * Deterministic JSON: object keys sorted, no whitespace. The same value always gives the same
 * bytes, so an unchanged registry publishes an unchanged target (same SHA-256, nothing for
 * clients to download), and key ids are the digest the TUF specification defines.
 */

export class CanonicalJsonError extends Error {}

/**
 * Serialises plain data: objects, arrays, strings, finite numbers, booleans and null, with
 * dates as their ISO text (TOML date-times arrive as `Date`). `maxDepth` bounds the nesting
 * of objects and arrays, so hostile input cannot exhaust the stack.
 */
export function canonicalJson(value: unknown, maxDepth = 64): string {
	return encode(value, 0, maxDepth);
}

function encode(value: unknown, depth: number, maxDepth: number): string {
	if (value === null) return 'null';
	switch (typeof value) {
		case 'string':
		case 'boolean':
			return JSON.stringify(value);
		case 'number':
			if (!Number.isFinite(value)) throw new CanonicalJsonError('a number is not finite');
			return JSON.stringify(value);
		case 'object':
			break;
		default:
			throw new CanonicalJsonError(`a ${typeof value} value has no JSON form`);
	}
	// TOML date-times: smol-toml's dates print their own TOML form (local dates included).
	if (value instanceof Date) return JSON.stringify(value.toISOString());
	if (depth >= maxDepth) throw new CanonicalJsonError(`nested deeper than ${maxDepth} levels`);
	if (Array.isArray(value)) {
		return `[${value.map((item) => encode(item, depth + 1, maxDepth)).join(',')}]`;
	}
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record).sort(compareCodeUnits);
	const members = keys
		.filter((key) => record[key] !== undefined)
		.map((key) => `${JSON.stringify(key)}:${encode(record[key], depth + 1, maxDepth)}`);
	return `{${members.join(',')}}`;
}

/** UTF-16 code unit order, locale-independent, as canonical JSON requires. */
function compareCodeUnits(a: string, b: string): number {
	if (a === b) return 0;
	return a < b ? -1 : 1;
}
