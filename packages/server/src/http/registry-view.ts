/**
 * The current registry, parsed once per document revision: the plugin pages, the Picard files
 * and blacklist verdicts all read it, and the document changes far less often than it is read.
 * Each read still asks the database which revision is current, so every process sees an edit
 * made by another at once.
 */
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import type { CompiledBlacklist } from '@vouch/library/internal/blacklist/types';
import type { CanonicalUrlContext } from '@vouch/library/internal/core/canonical-url';
import { decodeRaw } from '@vouch/library/internal/registry/edit/apply';
import { documentToToml } from '@vouch/library/internal/registry/edit/toml-edit';
import type { Registry } from '@vouch/library/internal/registry/model';
import type { RegistryDocument, RegistryStore } from '../store/registry-store.ts';

export interface RegistryView {
	document: RegistryDocument;
	registry: Registry;
	blacklist: CompiledBlacklist;
	/** Picard's own file: the stored text when it is TOML, else the document written as TOML. */
	toml(): string;
	/** The same document as JSON (Picard's registry tool's `--format json`). */
	json(): string;
}

export function createRegistryViews(
	store: RegistryStore,
	urlContext: CanonicalUrlContext = {},
): () => Promise<RegistryView | undefined> {
	let cached: RegistryView | undefined;
	return async () => {
		const version = await store.version();
		if (version === undefined) return undefined;
		if (cached?.document.sha256 === version.sha256) return cached;
		const parsed = await store.registry();
		if (parsed === undefined) return undefined;
		const { registry } = parsed;
		let toml: string | undefined;
		let json: string | undefined;
		const file = { text: parsed.document.text, format: registry.format, label: 'registry' };
		cached = {
			document: parsed.document,
			registry,
			blacklist: compileBlacklist(registry.blacklist, urlContext),
			toml() {
				toml ??= registry.format === 'toml' ? file.text : documentToToml(decodeRaw(file));
				return toml;
			},
			json() {
				json ??= `${JSON.stringify(decodeRaw(file), null, 2)}\n`;
				return json;
			},
		};
		return cached;
	};
}
