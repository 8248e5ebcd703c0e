/** Builders for registry documents in tests: valid by default, overridable per field. */
import { buildRegistryIndex, type RegistryIndex } from '../../src/registry/index.ts';
import type { Registry } from '../../src/registry/model.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';

export const UUID_A = '78430c8c-d2ed-4dcf-8b3f-d2bc8b7348ac';
export const UUID_B = '743aab37-d639-41b5-8000-727cb4bf291c';
export const UUID_C = 'abfb68b7-4fc5-4ec4-a1b8-c824e31ad0c5';
export const UUID_D = '27b4a91b-e906-42ba-9132-d2541ac66925';
export const UUID_E = '45ab482e-a32e-4f11-8e78-d37dba2324e0';
export const UUID_F = 'd96c721b-bfaf-4d74-9ed6-1057eb585535';

export const FIXTURES = new URL('../fixtures/registries/', import.meta.url);

export type Entry = Record<string, unknown>;

/** A complete, valid plugin entry in the file format (snake_case keys). */
export function pluginEntry(id: string, uuid: string, overrides: Entry = {}): Entry {
	return {
		id,
		uuid,
		name: `Plugin ${id}`,
		description: `Does ${id} things`,
		git_url: `https://github.com/example/picard-plugin-${id}`,
		categories: ['metadata'],
		trust_level: 'community',
		authors: ['An Author'],
		added_at: '2025-12-01T11:16:37Z',
		updated_at: '2025-12-02T11:16:37Z',
		...overrides,
	};
}

export function blacklistEntry(overrides: Entry = {}): Entry {
	return { reason: 'Malware', blacklisted_at: '2026-01-01T00:00:00Z', ...overrides };
}

export function registryJson(plugins: unknown[], blacklist: unknown[] = []): string {
	return JSON.stringify({ api_version: '3.0', plugins, blacklist });
}

export function loadJson(plugins: unknown[], blacklist: unknown[] = []): Registry {
	return parseRegistryText(registryJson(plugins, blacklist), { label: 'test registry' });
}

export function indexOf(plugins: unknown[], blacklist: unknown[] = []): RegistryIndex {
	return buildRegistryIndex(loadJson(plugins, blacklist));
}
