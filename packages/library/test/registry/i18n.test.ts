import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { localisedDescription, localisedName } from '../../src/registry/i18n.ts';
import { loadJson, pluginEntry, UUID_A } from './helpers.ts';

const plugin = loadJson([
	pluginEntry('p', UUID_A, {
		name: 'Base name',
		description: 'Base description',
		name_i18n: { de: 'Deutsch', de_AT: 'Österreichisch', pt_BR: 'Brasileiro', fr: '  ' },
		description_i18n: { de: 'Beschreibung' },
	}),
]).plugins[0];

describe('localised names and descriptions (spec §2.5)', () => {
	it('looks up the exact locale, then the language, then the base field', () => {
		assert.ok(plugin);
		assert.equal(localisedName(plugin, 'de_AT'), 'Österreichisch');
		assert.equal(localisedName(plugin, 'de_CH'), 'Deutsch');
		assert.equal(localisedName(plugin, 'de'), 'Deutsch');
		assert.equal(localisedName(plugin, 'pt_BR'), 'Brasileiro');
		assert.equal(localisedName(plugin, 'pt'), 'Base name');
		assert.equal(localisedName(plugin, 'en'), 'Base name');
		assert.equal(localisedName(plugin, undefined), 'Base name');
		assert.equal(localisedDescription(plugin, 'de_DE'), 'Beschreibung');
		assert.equal(localisedDescription(plugin, 'fr'), 'Base description');
	});

	it('accepts BCP 47 hyphens as well as underscores', () => {
		assert.ok(plugin);
		assert.equal(localisedName(plugin, 'de-AT'), 'Österreichisch');
		assert.equal(localisedName(plugin, 'pt-BR'), 'Brasileiro');
	});

	it('falls back on blank translations and never reads inherited keys', () => {
		assert.ok(plugin);
		assert.equal(localisedName(plugin, 'fr'), 'Base name');
		assert.equal(localisedName(plugin, 'constructor'), 'Base name');
		assert.equal(localisedName(plugin, '__proto__'), 'Base name');
		assert.equal(localisedName(plugin, ''), 'Base name');
	});
});
