/** Small predicates over parsed TOML values, shared by the field checks. */

/** A TOML table (smol-toml builds them as null-prototype objects). Dates are objects too. */
export function isTable(value: unknown): value is Record<string, unknown> {
	return (
		typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
	);
}

/** Length as Python's `len` counts it: Unicode code points, not UTF-16 units. */
export function codePointLength(text: string): number {
	let count = 0;
	for (let i = 0; i < text.length; i++) {
		const unit = text.charCodeAt(i);
		// A high surrogate followed by a low one is a single code point.
		if (unit >= 0xd800 && unit <= 0xdbff) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) i++;
		}
		count++;
	}
	return count;
}

export function isBlank(text: string): boolean {
	return text.trim().length === 0;
}

/**
 * Python truthiness, which the reference uses to decide that a required field is missing:
 * `""`, `[]`, `{}`, `0` and `false` all count as absent.
 */
export function isFalsy(value: unknown): boolean {
	if (value === undefined || value === null || value === false || value === '') return true;
	if (typeof value === 'number') return value === 0;
	if (Array.isArray(value)) return value.length === 0;
	if (isTable(value)) return Object.keys(value).length === 0;
	return false;
}

export function hasOwn(table: Record<string, unknown>, key: string): boolean {
	return Object.hasOwn(table, key);
}
