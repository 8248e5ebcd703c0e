/**
 * The parsed registry and its compiled blacklist, as pages read them. The blacklist is matched
 * with the library's own matcher (D3, D4), so a page says "blacklisted" exactly when a client
 * would refuse the plugin; the compiled form is kept while the document is unchanged.
 */
import { type CompiledBlacklist, compileBlacklist, type Registry } from '@vouch/library';
import type { RegistryStore } from '../store/registry-store.ts';

export interface RegistryView {
	registry: Registry;
	blacklist: CompiledBlacklist;
}

export function createRegistryView(store: RegistryStore): () => Promise<RegistryView | undefined> {
	let cached: { sha256: string; view: RegistryView } | undefined;
	return async () => {
		// The parse of a large registry costs far more than a page: only a new document is parsed.
		const version = await store.version();
		if (version === undefined) return undefined;
		if (cached?.sha256 === version.sha256) return cached.view;
		const current = await store.registry();
		if (current === undefined) return undefined;
		cached = {
			sha256: current.document.sha256,
			view: {
				registry: current.registry,
				blacklist: compileBlacklist(current.registry.blacklist),
			},
		};
		return cached.view;
	};
}

export type RegistryViewLoader = ReturnType<typeof createRegistryView>;
