/** Translated texts: exact locale, then language, then the base field. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Manifest } from '../../src/manifest/index.ts';
import { localisedField } from '../../src/manifest/index.ts';
import { check } from './helpers.ts';

function manifest(tail: string, overrides: Record<string, string> = {}): Manifest {
	const result = check(overrides, tail);
	assert.deepEqual(result.errors, []);
	assert.ok(result.manifest);
	return result.manifest;
}

const m = manifest('[name_i18n]\nde = "Beispiel"\nde_AT = "Beispiel AT"\npt_BR = "Exemplo"\n');

test('the exact locale wins', () => {
	assert.equal(localisedField(m, 'name', 'de_AT'), 'Beispiel AT');
	assert.equal(localisedField(m, 'name', 'pt_BR'), 'Exemplo');
});

test('then the language part', () => {
	assert.equal(localisedField(m, 'name', 'de_CH'), 'Beispiel');
	assert.equal(localisedField(m, 'name', 'de'), 'Beispiel');
});

test('then the base field', () => {
	assert.equal(localisedField(m, 'name', 'fr_FR'), 'Example');
	assert.equal(
		localisedField(m, 'name', 'pt'),
		'Example',
		'a region-only entry is not a language entry',
	);
	assert.equal(localisedField(m, 'description', 'de'), 'Does one thing');
});

test('object property names are never taken for translations', () => {
	assert.equal(localisedField(m, 'name', 'toString'), 'Example');
	assert.equal(localisedField(m, 'name', 'constructor'), 'Example');
});

test('a missing long description falls back to the description', () => {
	assert.equal(localisedField(m, 'longDescription', 'de'), 'Does one thing');
	const withLong = manifest('[long_description_i18n]\nde = "Lang"\n', {
		long_description: '"Long"',
	});
	assert.equal(localisedField(withLong, 'longDescription', 'de_DE'), 'Lang');
	assert.equal(localisedField(withLong, 'longDescription', 'fr'), 'Long');
});
