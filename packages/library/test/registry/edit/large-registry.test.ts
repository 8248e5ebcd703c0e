/** Edits of a registry far larger than Picard's: the text editor must not scale with the stack. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticRegistryToml } from '../../../../../bench/synthetic.ts';
import { applyRegistryEdits } from '../../../src/registry/edit/apply.ts';

test('a key set in a registry of 10,000 plugins (over 160,000 lines) is written', () => {
	const text = syntheticRegistryToml(10_000).replaceAll(
		'trust_level = "official"',
		'trust_level = "trusted"',
	);
	assert.ok(text.split('\n').length > 160_000);
	const edited = applyRegistryEdits({ text, format: 'toml', label: 'large' }, [
		{ op: 'set-plugin-key', index: 4321, key: 'trust_level', value: 'community' },
		{ op: 'set-plugin-key', index: 4321, key: 'categories', value: ['other'] },
	]);
	const plugin = edited.registry.plugins.find((entry) => entry.id === 'synthetic-plugin-4321');
	assert.equal(plugin?.trustLevel, 'community');
	assert.deepEqual(plugin?.categories, ['other']);
	assert.equal(edited.registry.plugins.length, 10_000);
});
