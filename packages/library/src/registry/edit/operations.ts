/**
 * The few primitive changes every registry command is made of, and their effect on the decoded
 * document. `toml-edit.ts` performs the same changes on TOML text; `apply.ts` checks that the
 * edited text decodes to exactly the document these functions produce.
 */
import { registryError } from '../errors.ts';
import type { TomlValue } from './toml-write.ts';

export type TomlTable = { [key: string]: TomlValue };

export type RegistryEditOp =
	/** Sets one key of a plugin entry; `undefined` removes it. */
	| { op: 'set-plugin-key'; index: number; key: string; value: TomlValue | undefined }
	/** Inserts a plugin entry at `index` of the `plugins` array. */
	| { op: 'add-plugin'; index: number; entry: TomlTable }
	| { op: 'remove-plugin'; index: number }
	/** Appends a table to an array-of-tables key of a plugin (`[[plugins.changes]]`). */
	| { op: 'append-plugin-table'; index: number; key: string; table: TomlTable }
	/** Appends a blacklist entry at the end of the `blacklist` array. */
	| { op: 'add-blacklist'; entry: TomlTable }
	| { op: 'remove-blacklist'; index: number };

export type RawDocument = { plugins?: unknown; blacklist?: unknown; [key: string]: unknown };
export type RawTable = Record<string, unknown>;

export function pluginsOf(document: RawDocument): RawTable[] {
	return Array.isArray(document.plugins) ? (document.plugins as RawTable[]) : [];
}

export function blacklistOf(document: RawDocument): RawTable[] {
	return Array.isArray(document.blacklist) ? (document.blacklist as RawTable[]) : [];
}

/** Applies one change to a decoded document, in place. */
export function applyToDocument(document: RawDocument, op: RegistryEditOp): void {
	switch (op.op) {
		case 'set-plugin-key': {
			const plugin = pluginAt(document, op.index);
			if (op.value === undefined) delete plugin[op.key];
			else plugin[op.key] = structuredClone(op.value);
			return;
		}
		case 'add-plugin': {
			const plugins = pluginsOf(document);
			plugins.splice(op.index, 0, structuredClone(op.entry));
			document.plugins = plugins;
			return;
		}
		case 'remove-plugin': {
			pluginAt(document, op.index);
			const plugins = pluginsOf(document);
			plugins.splice(op.index, 1);
			// Picard's tool omits empty arrays; an absent table array decodes as absent.
			if (plugins.length === 0) delete document.plugins;
			return;
		}
		case 'append-plugin-table': {
			const plugin = pluginAt(document, op.index);
			const existing = plugin[op.key];
			if (existing !== undefined && !Array.isArray(existing)) throw notAnArray(op.key);
			plugin[op.key] = [...((existing as unknown[] | undefined) ?? []), structuredClone(op.table)];
			return;
		}
		case 'add-blacklist': {
			document.blacklist = [...blacklistOf(document), structuredClone(op.entry)];
			return;
		}
		case 'remove-blacklist': {
			const entries = blacklistOf(document);
			if (entries[op.index] === undefined) throw noSuchEntry(op.index);
			entries.splice(op.index, 1);
			if (entries.length === 0) delete document.blacklist;
			return;
		}
	}
}

function pluginAt(document: RawDocument, index: number): RawTable {
	const plugin = pluginsOf(document)[index];
	if (plugin === undefined || typeof plugin !== 'object') {
		throw registryError('REGISTRY_EDIT_REFUSED', `There is no plugin entry #${index} to edit.`);
	}
	return plugin;
}

function notAnArray(key: string) {
	return registryError(
		'REGISTRY_EDIT_REFUSED',
		`The plugin's ${key} is not a list of tables, so no entry can be added to it.`,
		{ hint: `Fix ${key} by hand first.` },
	);
}

function noSuchEntry(index: number) {
	return registryError('REGISTRY_EDIT_REFUSED', `There is no blacklist entry #${index}.`);
}

/** Where a plugin with this id goes: Picard's tool keeps plugins sorted by id. */
export function sortedPluginPosition(document: RawDocument, id: string): number {
	const plugins = pluginsOf(document);
	const after = plugins.findIndex((plugin) => typeof plugin.id === 'string' && plugin.id > id);
	return after === -1 ? plugins.length : after;
}
