/**
 * Adds a reviewed-release pin to a registry source file, for `vouch registry pin --write`.
 *
 * TOML is edited as text, so maintainers keep their comments and layout: a
 * `[[plugins.releases]]` table is inserted at the end of the plugin's `[[plugins]]` block. JSON
 * is rewritten whole (it has no comments to lose). Either way the result is parsed again and
 * must differ from the original by exactly the new pin, or nothing is written.
 */
import { isDeepStrictEqual } from 'node:util';
import { sanitizeText } from '../core/sanitize.ts';
import { decodeRegistryText, type RegistryFormat } from './decode.ts';
import { registryError } from './errors.ts';
import type { ReleasePin } from './model.ts';

export interface PinEditResult {
	/** The new text; the same text when the pin was there already. */
	text: string;
	changed: boolean;
}

type RawDocument = { plugins?: unknown; [key: string]: unknown };
type RawPlugin = { id?: unknown; releases?: unknown; [key: string]: unknown };

export function addPinToRegistry(
	text: string,
	format: RegistryFormat,
	id: string,
	pin: ReleasePin,
	label: string,
): PinEditResult {
	const before = decodeRegistryText(text, format, label) as RawDocument;
	const plugins = Array.isArray(before.plugins) ? (before.plugins as RawPlugin[]) : [];
	const index = plugins.findIndex((plugin) => plugin.id === id);
	if (index === -1) {
		throw registryError(
			'PLUGIN_NOT_IN_REGISTRY',
			`${sanitizeText(label)} has no plugin with the id ${sanitizeText(id)}.`,
			{ hint: 'Use the `id` of a `[[plugins]]` entry.' },
		);
	}
	const existing = Array.isArray(plugins[index]?.releases)
		? (plugins[index]?.releases as Record<string, unknown>[])
		: [];
	const same = existing.find((release) => release.ref === pin.ref);
	if (same !== undefined) {
		if (same.commit === pin.commit && same.tree === pin.tree) return { text, changed: false };
		throw registryError(
			'REGISTRY_EDIT_REFUSED',
			`${sanitizeText(id)} already pins ${sanitizeText(pin.ref)} to another commit or tree; a reviewed release never changes silently.`,
			{ hint: 'Remove the old pin by hand if the release really was re-tagged, then pin again.' },
		);
	}
	const edited =
		format === 'json' ? editJson(before, index, pin) : editToml(text, index, pin, label);
	let after: RawDocument;
	try {
		after = decodeRegistryText(edited, format, label) as RawDocument;
	} catch {
		throw notEditable();
	}
	assertOnlyPinAdded(before, after, index, pin);
	return { text: edited, changed: true };
}

function editJson(document: RawDocument, index: number, pin: ReleasePin): string {
	const copy = structuredClone(document);
	const plugin = (copy.plugins as RawPlugin[])[index] as RawPlugin;
	plugin.releases = [...(Array.isArray(plugin.releases) ? plugin.releases : []), { ...pin }];
	return `${JSON.stringify(copy, null, 2)}\n`;
}

const PLUGINS_HEADER = /^[ \t]*\[\[[ \t]*plugins[ \t]*\]\][ \t]*(#.*)?$/;
const ANY_HEADER = /^[ \t]*\[/;
const OWN_SUBTABLE = /^[ \t]*\[{1,2}[ \t]*plugins[ \t]*\./;

function editToml(text: string, index: number, pin: ReleasePin, label: string): string {
	const newline = text.includes('\r\n') ? '\r\n' : '\n';
	const lines = text.split(/\r?\n/);
	const headers = lines.flatMap((line, at) => (PLUGINS_HEADER.test(line) ? [at] : []));
	const start = headers[index];
	if (start === undefined) {
		throw registryError(
			'REGISTRY_EDIT_REFUSED',
			`${sanitizeText(label)} does not list its plugins as [[plugins]] tables, which is the only layout --write edits.`,
			{ hint: 'Add the printed pin to the plugin entry by hand.' },
		);
	}
	// The block ends at the next header that is not one of this plugin's own sub-tables.
	let end = lines.length;
	for (let at = start + 1; at < lines.length; at++) {
		const line = lines[at] as string;
		if (ANY_HEADER.test(line) && !OWN_SUBTABLE.test(line)) {
			end = at;
			break;
		}
	}
	// Before the blank lines and comments that introduce the next block.
	while (end > start + 1 && /^[ \t]*(#.*)?$/.test(lines[end - 1] as string)) end--;
	const block = [
		'',
		'[[plugins.releases]]',
		`ref = ${JSON.stringify(pin.ref)}`,
		`commit = ${JSON.stringify(pin.commit)}`,
		`tree = ${JSON.stringify(pin.tree)}`,
	];
	lines.splice(end, 0, ...block);
	return lines.join(newline);
}

/** The edit must add exactly this pin to exactly this plugin; anything else is a bug or a layout we misread. */
function assertOnlyPinAdded(
	before: RawDocument,
	after: RawDocument,
	index: number,
	pin: ReleasePin,
): void {
	const expected = structuredClone(before);
	const plugin = (expected.plugins as RawPlugin[])[index] as RawPlugin;
	plugin.releases = [...(Array.isArray(plugin.releases) ? plugin.releases : []), { ...pin }];
	if (!isDeepStrictEqual(normalise(expected), normalise(after))) throw notEditable();
}

function notEditable() {
	return registryError(
		'REGISTRY_EDIT_REFUSED',
		'Adding the pin as a [[plugins.releases]] table would change more of the registry than the pin itself (the entry may use an inline `releases = [...]` array).',
		{ hint: 'Add the printed pin to the plugin entry by hand.' },
	);
}

/** TOML dates decode to objects that compare by identity; JSON text compares them by value. */
function normalise(document: RawDocument): unknown {
	return JSON.parse(JSON.stringify(document));
}
