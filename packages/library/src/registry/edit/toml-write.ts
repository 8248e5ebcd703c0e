/**
 * TOML text for the values a registry edit writes, in the layout Picard's registry file uses
 * (one key per line, arrays one item per line with a trailing comma, i18n tables as
 * sub-tables).
 *
 * Every string is written as an escaped basic string and every key not made of `A-Za-z0-9_-`
 * is quoted, so text from a hostile MANIFEST.toml (newlines, quotes, `]]`, control characters)
 * stays inside its value: it can never open a table or add a key.
 */
import { registryError } from '../errors.ts';

export type TomlValue =
	| string
	| number
	| boolean
	| readonly TomlValue[]
	| { readonly [key: string]: TomlValue };

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
	'"': '\\"',
	'\\': '\\\\',
	'\b': '\\b',
	'\t': '\\t',
	'\n': '\\n',
	'\f': '\\f',
	'\r': '\\r',
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A basic string: quotes, backslashes and every control character escaped. */
export function tomlString(text: string): string {
	if (LONE_SURROGATE.test(text)) {
		throw registryError(
			'REGISTRY_EDIT_REFUSED',
			'A value holds a lone UTF-16 surrogate, which TOML cannot represent.',
			{ hint: 'Remove the broken character from the value.' },
		);
	}
	let out = '"';
	for (const ch of text) {
		const code = ch.codePointAt(0) as number;
		const short = SHORT_ESCAPES[ch];
		if (short !== undefined) out += short;
		else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
		else out += ch;
	}
	return `${out}"`;
}

export function tomlKey(key: string): string {
	return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

function isTable(value: TomlValue): value is { readonly [key: string]: TomlValue } {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value on one line: inline arrays and tables. */
export function inlineValue(value: TomlValue): string {
	if (typeof value === 'string') return tomlString(value);
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw registryError('REGISTRY_EDIT_REFUSED', 'Not a number.');
		return String(value);
	}
	if (Array.isArray(value)) return `[${value.map(inlineValue).join(', ')}]`;
	const pairs = Object.entries(value as Record<string, TomlValue>).map(
		([key, item]) => `${tomlKey(key)} = ${inlineValue(item)}`,
	);
	return pairs.length === 0 ? '{}' : `{ ${pairs.join(', ')} }`;
}

/** `key = value`, arrays spread over lines as the registry writes them. */
export function keyValueLines(key: string, value: TomlValue): string[] {
	if (Array.isArray(value) && value.length > 0) {
		return [
			`${tomlKey(key)} = [`,
			...value.map((item: TomlValue) => `  ${inlineValue(item)},`),
			']',
		];
	}
	return [`${tomlKey(key)} = ${inlineValue(value)}`];
}

/** `[a.b]` or `[[a.b]]` followed by the table's keys, one per line. */
export function tableLines(
	path: readonly string[],
	table: { readonly [key: string]: TomlValue },
	array: boolean,
): string[] {
	const name = path.map(tomlKey).join('.');
	const lines = [array ? `[[${name}]]` : `[${name}]`];
	for (const [key, value] of Object.entries(table)) {
		if (isTable(value)) lines.push(`${tomlKey(key)} = ${inlineValue(value)}`);
		else lines.push(...keyValueLines(key, value));
	}
	return lines;
}

/** Whether a value is written as sub-tables (`[plugins.x]`) in a new entry. */
export function isTableValue(value: TomlValue): value is { readonly [key: string]: TomlValue } {
	return isTable(value);
}
