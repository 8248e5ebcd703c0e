/**
 * Applies a list of primitive changes to a registry file's text, safely: TOML is edited as
 * text (comments and layout kept), JSON is rewritten whole (it has neither). The result must
 * decode to exactly the original document with the changes applied, and Vouch's own reader
 * must accept it; otherwise nothing is returned to write, and the edit is refused.
 */
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { decodeRegistryText, type RegistryFormat } from '../decode.ts';
import { registryError } from '../errors.ts';
import type { Registry } from '../model.ts';
import { type ParseRegistryOptions, parseRegistryText } from '../parse.ts';
import { applyToDocument, type RawDocument, type RegistryEditOp } from './operations.ts';
import { applyToToml } from './toml-edit.ts';

export interface RegistryFileText {
	text: string;
	format: RegistryFormat;
	/** Where it came from, for messages. */
	label: string;
}

export interface AppliedEdit {
	text: string;
	/** The edited registry as Vouch's reader sees it. */
	registry: Registry;
	sha256Before: string;
	sha256After: string;
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The decoded document, dates as text, so documents compare by value. */
export function decodeRaw(file: RegistryFileText): RawDocument {
	return normalise(decodeRegistryText(file.text, file.format, file.label) as RawDocument);
}

export function applyRegistryEdits(
	file: RegistryFileText,
	ops: readonly RegistryEditOp[],
	parseOptions: Omit<ParseRegistryOptions, 'label' | 'format'> = {},
): AppliedEdit {
	const expected = decodeRaw(file);
	for (const op of ops) applyToDocument(expected, op);
	let text: string;
	if (file.format === 'json') {
		text = `${JSON.stringify(expected, null, 2)}\n`;
	} else {
		text = file.text;
		for (const op of ops) text = applyToToml(text, op);
	}
	let after: RawDocument;
	try {
		after = decodeRaw({ ...file, text });
	} catch (error) {
		throw refused(file.label, 'the edited text would not parse', error);
	}
	if (!isDeepStrictEqual(expected, after)) {
		throw refused(file.label, 'the edited text would change more than the intended entries');
	}
	let registry: Registry;
	try {
		registry = parseRegistryText(text, { ...parseOptions, label: file.label, format: file.format });
	} catch (error) {
		throw refused(file.label, 'Vouch could no longer read the edited registry', error);
	}
	// A plugin entry the reader would skip (a value outside its bounds) is as good as lost.
	const skippedBefore = skipped(
		parseRegistryText(file.text, { ...parseOptions, label: file.label, format: file.format }),
	);
	if (skipped(registry) > skippedBefore) {
		throw refused(file.label, "Vouch's reader would skip an edited plugin entry");
	}
	return { text, registry, sha256Before: sha256Hex(file.text), sha256After: sha256Hex(text) };
}

function skipped(registry: Registry): number {
	return registry.warnings.filter((warning) => warning.code === 'PLUGIN_SKIPPED').length;
}

function refused(label: string, why: string, cause?: unknown) {
	const detail = isVouchError(cause) ? ` (${cause.message})` : '';
	return registryError(
		'REGISTRY_EDIT_REFUSED',
		`${sanitizeText(label)} was not changed: ${why}${sanitizeText(detail, { maxLength: 300 })}.`,
		{
			hint: 'The file may use a layout the editor does not handle; make this change by hand.',
			cause,
		},
	);
}

/** TOML dates decode to objects that compare by identity; as JSON text they compare by value. */
function normalise(document: RawDocument): RawDocument {
	return JSON.parse(JSON.stringify(document)) as RawDocument;
}
