/**
 * Text to plain data: TOML or JSON, with the size and nesting bounds applied before and while
 * parsing, and syntax errors turned into REGISTRY_PARSE_ERROR with a line and column.
 */
import { parse as parseToml, TomlError } from 'smol-toml';
import { sanitizeText } from '../core/sanitize.ts';
import { registryError } from './errors.ts';
import { REGISTRY_LIMITS } from './limits.ts';

export type RegistryFormat = 'toml' | 'json';

/** JSON when the first non-space character is `{`, TOML otherwise. */
export function sniffRegistryFormat(text: string): RegistryFormat {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		// space, tab, LF, CR, and a byte-order mark
		if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff) continue;
		return c === 0x7b ? 'json' : 'toml';
	}
	return 'toml';
}

/** Refuses text over the byte limit without encoding it: each UTF-16 unit is at least one byte. */
export function assertRegistrySize(text: string, label: string, maxBytes: number): void {
	if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
		throw registryError(
			'REGISTRY_TOO_LARGE',
			`The registry from ${sanitizeText(label)} is larger than ${maxBytes} bytes.`,
			{ details: { maxBytes } },
		);
	}
}

export function decodeRegistryText(text: string, format: RegistryFormat, label: string): unknown {
	const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
	return format === 'json' ? decodeJson(body, label) : decodeToml(body, label);
}

function decodeToml(text: string, label: string): unknown {
	let value: unknown;
	try {
		value = parseToml(text, {
			maxDepth: REGISTRY_LIMITS.maxTomlInlineDepth,
			// `__proto__` and `constructor` keys are dropped, never turned into properties.
			unsafeKeyBehaviour: 'drop',
		});
	} catch (error) {
		if (error instanceof TomlError) {
			throw parseError(label, firstLine(error.message), error.line, error.column, error);
		}
		throw parseError(label, describe(error), undefined, undefined, error);
	}
	// smol-toml bounds inline nesting only: `[a.b.c...]` headers can still nest, but only as
	// deep as the text is long (16 MiB at most), and nothing here walks them. The schema reads
	// fixed-depth known keys and never descends into unknown ones, so no walk over the whole
	// document is needed (it would cost more than validating every entry).
	return value;
}

function decodeJson(text: string, label: string): unknown {
	// Checked on the text, before JSON.parse builds anything.
	const tooDeep = jsonNestingExceeds(text, REGISTRY_LIMITS.maxDepth);
	if (tooDeep !== undefined) {
		const { line, column } = lineAndColumn(text, tooDeep);
		throw parseError(label, 'the document is nested too deeply', line, column);
	}
	try {
		return JSON.parse(text);
	} catch (error) {
		const position = /position (\d+)/.exec(describe(error));
		const where = position ? lineAndColumn(text, Number(position[1])) : undefined;
		throw parseError(label, describe(error), where?.line, where?.column, error);
	}
}

/** Offset of the first bracket that opens a level deeper than `max`, outside strings. */
export function jsonNestingExceeds(text: string, max: number): number | undefined {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (inString) {
			if (c === 0x5c)
				i++; // skip the escaped character
			else if (c === 0x22) inString = false;
			continue;
		}
		if (c === 0x22) inString = true;
		else if (c === 0x7b || c === 0x5b) {
			depth++;
			if (depth > max) return i;
		} else if (c === 0x7d || c === 0x5d) depth--;
	}
	return undefined;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	const end = Math.min(offset, text.length);
	for (let i = 0; i < end; i++) {
		if (text.charCodeAt(i) === 0x0a) {
			line++;
			lineStart = i + 1;
		}
	}
	return { line, column: end - lineStart + 1 };
}

function parseError(
	label: string,
	problem: string,
	line?: number,
	column?: number,
	cause?: unknown,
) {
	const where = line === undefined ? '' : ` at line ${line}, column ${column ?? 1}`;
	return registryError(
		'REGISTRY_PARSE_ERROR',
		`The registry from ${sanitizeText(label)} cannot be parsed${where}: ${sanitizeText(problem, { maxLength: 200 })}`,
		{
			hint: 'The source is broken; other registry URLs are not tried. Tell the registry maintainers.',
			cause,
			details: line === undefined ? {} : { line, column },
		},
	);
}

function firstLine(message: string): string {
	const newline = message.indexOf('\n');
	return newline === -1 ? message : message.slice(0, newline);
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
