import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { registryJsonSchema } from '../../src/registry/json-schema.ts';
import { registryDocumentSchema } from '../../src/registry/schema.ts';
import { FIXTURES } from './helpers.ts';

describe('the registry schema', () => {
	it('accepts both forms of the real registry as one document', () => {
		const toml = parseToml(readFileSync(new URL('picard-plugins.toml', FIXTURES), 'utf8'));
		const json = JSON.parse(readFileSync(new URL('picard-plugins.json', FIXTURES), 'utf8'));
		assert.equal(registryDocumentSchema.safeParse(toml).success, true);
		assert.equal(registryDocumentSchema.safeParse(json).success, true);
	});

	it('exports as JSON Schema with the bounds and the blacklist identifier rule', () => {
		const schema = registryJsonSchema() as {
			title?: string;
			properties: Record<
				string,
				{ maxItems?: number; items?: { anyOf?: unknown[]; required?: string[] } }
			>;
		};
		assert.equal(schema.title, 'Vouch plugin registry');
		assert.equal(schema.properties.plugins?.maxItems, 100_000);
		assert.deepEqual(schema.properties.plugins?.items?.required, ['id', 'uuid', 'name', 'git_url']);
		assert.equal(schema.properties.blacklist?.items?.anyOf?.length, 3);
	});
});
