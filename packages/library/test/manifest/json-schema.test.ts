/** The published JSON Schema is current, describes the fields, and agrees with validation. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { PUBLISHED_SCHEMAS } from '../../../../scripts/write-schemas.ts';
import { CAPABILITIES, manifestSchema, validateManifest } from '../../src/manifest/index.ts';
import { renderSchema } from '../../src/manifest/json-schema.ts';
import { GOOD_UUID } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

test('every committed schema file equals a fresh rendering (run `npm run schemas` if not)', () => {
	assert.ok(PUBLISHED_SCHEMAS.some((s) => s.file === 'schemas/manifest.schema.json'));
	for (const entry of PUBLISHED_SCHEMAS) {
		const committed = readFileSync(join(ROOT, entry.file), 'utf8');
		assert.equal(committed, renderSchema(entry), `${entry.file} is stale`);
	}
});

test('the manifest schema describes types, lengths, the UUID pattern and capabilities', () => {
	const schema = JSON.parse(readFileSync(join(ROOT, 'schemas/manifest.schema.json'), 'utf8'));
	assert.deepEqual(schema.required, ['uuid', 'name', 'description', 'api']);
	const p = schema.properties;
	assert.equal(p.name.type, 'string');
	assert.equal(p.name.maxLength, 100);
	assert.equal(p.description.maxLength, 200);
	assert.equal(p.long_description.maxLength, 2000);
	assert.equal(p.api.type, 'array');
	assert.equal(p.api.minItems, 1);
	assert.ok(new RegExp(p.uuid.pattern).test(GOOD_UUID.toUpperCase()));
	assert.ok(!new RegExp(p.uuid.pattern).test('3713d8f5-72b0-101d-9ec9-3818380bc576'));
	assert.deepEqual(Object.keys(p.capabilities.properties), [...CAPABILITIES]);
	assert.equal(p.capabilities.additionalProperties, false);
	assert.equal(p.capabilities.properties.network.type, 'boolean');
	assert.equal(p.name_i18n.minProperties, 1);
});

/** Field values drawn from both sides of each rule. */
const fieldValue = {
	uuid: fc.constantFrom(
		GOOD_UUID,
		GOOD_UUID.toUpperCase(),
		'nope',
		'12345678-1234-4234-8234-123456789abc',
		7,
	),
	name: fc.constantFrom('Name', '', ' ', 'x'.repeat(101), '😀'.repeat(100), 3),
	description: fc.constantFrom('Desc', 'two\nlines', 'd'.repeat(201), ''),
	api: fc.constantFrom(['3.0'], [], ['3.0', 'x'], ['3'], [3], '3.0'),
	long_description: fc.constantFrom(
		'ok',
		'<b>',
		'<script',
		`${' '.repeat(36)}- x`,
		'l'.repeat(2001),
	),
	report_bugs_to: fc.constantFrom('https://x.org', 'mailto:a@b', 'javascript:x', ' '),
	source_locale: fc.constantFrom('en', 'pt_BR', 'en-US', 5),
	categories: fc.constantFrom(['metadata'], [], ['a', 1]),
	name_i18n: fc.constantFrom({ de: 'N' }, {}, { de: 1 }, { 'bad key': 'x' }),
	version: fc.constantFrom('1.0', 'v1', ''),
	capabilities: fc.constantFrom({ network: true }, {}, { net: true }, { network: 'yes' }),
};

test('the zod schema and the explicit checks agree on what is valid', () => {
	const manifest = fc.record(fieldValue, { requiredKeys: [] });
	fc.assert(
		fc.property(manifest, (data) => {
			const explicit = validateManifest(data);
			const schemaOk = manifestSchema.safeParse(data).success;
			// SCHEMA_VIOLATION would mean the explicit checks missed something the schema caught.
			assert.ok(
				!explicit.errors.some((e) => e.code === 'SCHEMA_VIOLATION'),
				JSON.stringify(explicit.errors),
			);
			assert.equal(explicit.errors.length === 0, schemaOk, JSON.stringify(data));
		}),
		{ numRuns: 400 },
	);
});
