/**
 * MANIFEST.toml text → validated manifest. The text is untrusted: it is size-checked before
 * parsing, parsed with smol-toml's depth and prototype-key guards, depth-checked again over
 * the whole tree (smol-toml bounds only inline nesting, not `[a.b.c...]` headers), and held
 * to TOML 1.0 so Vouch and Picard read it the same way (see `toml10.ts`).
 */
import { parse, TomlError } from 'smol-toml';
import { sanitizeText } from '../core/sanitize.ts';
import { manifestError } from './errors.ts';
import { MAX_MANIFEST_BYTES, MAX_MANIFEST_DEPTH } from './limits.ts';
import type { ManifestOptions, ManifestResult } from './model.ts';
import { findToml11Construct } from './toml10.ts';
import { validateManifest } from './validate.ts';

const PARSE_HINT = 'Fix the TOML syntax at that position; `vouch validate` re-checks it.';

/** UTF-8 size without allocating: never smaller than the UTF-16 length, so test that first. */
function exceedsByteLimit(text: string): boolean {
	return text.length > MAX_MANIFEST_BYTES || Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_BYTES;
}

function tooLarge(label: string) {
	return manifestError(
		'MANIFEST_TOO_LARGE',
		`${label} is larger than ${MAX_MANIFEST_BYTES / 1024} KiB; no real manifest comes near that.`,
		{ hint: 'A manifest holds metadata only; move long texts into the plugin documentation.' },
	);
}

function tooDeep(label: string, cause?: unknown) {
	return manifestError(
		'MANIFEST_TOO_DEEP',
		`${label} nests tables or arrays more than ${MAX_MANIFEST_DEPTH} levels deep.`,
		{ hint: 'A manifest needs two levels at most (e.g. [name_i18n]).', cause },
	);
}

/** Parses with smol-toml, turning every failure into a file-level VouchError. */
function parseToml(text: string, label: string): Record<string, unknown> {
	try {
		return parse(text, { maxDepth: MAX_MANIFEST_DEPTH, unsafeKeyBehaviour: 'throw' });
	} catch (error) {
		if (error instanceof TomlError) {
			const reason = sanitizeText(error.message.split('\n')[0] ?? '', { maxLength: 200 });
			if (reason.includes('excessively nested')) throw tooDeep(label, error);
			throw manifestError(
				'MANIFEST_PARSE_ERROR',
				`${label}: line ${error.line}, column ${error.column}: ${reason}`,
				{ hint: PARSE_HINT, cause: error, details: { line: error.line, column: error.column } },
			);
		}
		throw manifestError('MANIFEST_PARSE_ERROR', `${label} could not be parsed as TOML.`, {
			hint: PARSE_HINT,
			cause: error,
		});
	}
}

/** Whether any table or array sits deeper than the bound (the document itself is level 1). */
function nestsDeeperThan(value: unknown, limit: number, depth = 1): boolean {
	if (typeof value !== 'object' || value === null || value instanceof Date) return false;
	if (depth > limit) return true;
	const children = Array.isArray(value) ? value : Object.values(value);
	return children.some((child) => nestsDeeperThan(child, limit, depth + 1));
}

/**
 * Parses and validates manifest text. Throws `VouchError` (codes in `errors.ts`) only when the
 * text cannot be read as a manifest at all; field problems are returned in `errors`.
 * `fileLabel` names the file in messages.
 */
export function parseManifestText(
	text: string,
	fileLabel: string,
	options: ManifestOptions = {},
): ManifestResult {
	const label = sanitizeText(fileLabel, { maxLength: 300 });
	if (exceedsByteLimit(text)) throw tooLarge(label);
	const data = parseToml(text, label);
	if (nestsDeeperThan(data, MAX_MANIFEST_DEPTH)) throw tooDeep(label);
	const construct = findToml11Construct(text);
	if (construct !== undefined) {
		throw manifestError(
			'MANIFEST_PARSE_ERROR',
			`${label}: line ${construct.line}, column ${construct.column}: ${construct.what} is TOML 1.1, which Picard's TOML 1.0 reader refuses.`,
			{
				hint: 'Write the manifest in TOML 1.0 so every host reads it the same way.',
				details: { line: construct.line, column: construct.column },
			},
		);
	}
	return { ...validateManifest(data, options), file: fileLabel };
}
