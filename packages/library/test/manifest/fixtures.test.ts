/** The fixture manifests: real Picard ones pass, each invalid one fails with its own code. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { readManifest } from '../../src/manifest/index.ts';
import { pairs, tomllibAccepts } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));
const PICARD_CATEGORIES = ['metadata', 'coverart', 'ui', 'scripting', 'formats', 'other'];

function files(dir: string): string[] {
	return readdirSync(join(FIXTURES, dir))
		.filter((name) => name.endsWith('.toml'))
		.sort()
		.map((name) => join(FIXTURES, dir, name));
}

describe('real Picard manifests', () => {
	const picard = files('picard');
	test('all three are present', () => assert.equal(picard.length, 3));
	for (const file of picard) {
		test(`${file.slice(FIXTURES.length)} validates with no errors`, async () => {
			const result = await readManifest(file, { categories: PICARD_CATEGORIES });
			assert.deepEqual(result.errors, []);
			assert.ok(result.manifest);
			assert.deepEqual(result.manifest.capabilities, { status: 'undeclared' });
			assert.deepEqual(
				result.warnings.map((w) => w.code),
				['CAPABILITIES_UNDECLARED'],
			);
		});
	}
});

test('the full valid fixture uses every field and declares capabilities', async () => {
	const result = await readManifest(join(FIXTURES, 'valid', 'full.toml'), {
		categories: PICARD_CATEGORIES,
	});
	assert.deepEqual(result.errors, []);
	assert.deepEqual(result.warnings, []);
	const m = result.manifest;
	assert.ok(m);
	assert.equal(m.uuid, '5b0c7a3e-9d2f-4e61-a8b4-2c7f1e9d3a65');
	assert.equal(m.sourceLocale, 'pt_BR');
	assert.deepEqual(m.nameI18n, { de: 'Volles Beispiel', pt_BR: 'Exemplo completo' });
	assert.deepEqual(m.capabilities, {
		status: 'declared',
		granted: ['network', 'config_read'],
		denied: ['subprocess'],
		unlisted: ['filesystem_read', 'filesystem_write', 'config_write', 'native_code'],
	});
});

/** Each invalid fixture and exactly the errors it must produce. */
const EXPECTED: Readonly<Record<string, [string, string][]>> = {
	'bad-capabilities.toml': [
		['INVALID_CAPABILITY', 'capabilities.netwrok'],
		['INVALID_CAPABILITY', 'capabilities.subprocess'],
	],
	'bad-locale.toml': [['INVALID_LOCALE', 'source_locale']],
	'bad-uuid.toml': [['INVALID_UUID', 'uuid']],
	'bad-version.toml': [
		['INVALID_VERSION', 'version'],
		['INVALID_API_VERSION', 'api[1]'],
	],
	'bug-url-scheme.toml': [['INVALID_URL_SCHEME', 'report_bugs_to']],
	'deep-list.toml': [['LIST_TOO_DEEP', 'long_description']],
	'empty-sections.toml': [
		['WRONG_TYPE', 'api[1]'],
		['EMPTY_FIELD', 'authors'],
		['EMPTY_FIELD', 'maintainers'],
		['EMPTY_FIELD', 'categories'],
		['EMPTY_SECTION', 'name_i18n'],
	],
	'html-long-description.toml': [
		['HTML_NOT_ALLOWED', 'long_description'],
		['DANGEROUS_CONTENT', 'long_description'],
		['HTML_NOT_ALLOWED', 'long_description_i18n.de'],
	],
	'missing-required.toml': [
		['MISSING_FIELD', 'uuid'],
		['MISSING_FIELD', 'name'],
		['MISSING_FIELD', 'api'],
		['EMPTY_FIELD', 'name'],
		['EMPTY_FIELD', 'description'],
	],
	'placeholder-uuid.toml': [['PLACEHOLDER_UUID', 'uuid']],
	'too-long.toml': [['TOO_LONG', 'name']],
};

describe('invalid fixtures', () => {
	test('every invalid fixture has an expectation', () => {
		assert.deepEqual(
			files('invalid').map((f) => f.slice(f.lastIndexOf('/') + 1)),
			Object.keys(EXPECTED).sort(),
		);
	});
	for (const [name, expected] of Object.entries(EXPECTED)) {
		test(`${name} fails with exactly its errors`, async () => {
			const result = await readManifest(join(FIXTURES, 'invalid', name));
			assert.equal(result.manifest, undefined);
			assert.deepEqual(pairs(result.errors), expected);
		});
	}
});

test('every fixture is TOML 1.0 that Python tomllib reads', (t) => {
	const all = [...files('picard'), ...files('valid'), ...files('invalid')];
	const verdicts = tomllibAccepts(all.map((file) => readFileSync(file, 'utf8')));
	if (verdicts === undefined) {
		t.skip('python3 with tomllib is not available');
		return;
	}
	all.forEach((file, i) => {
		assert.equal(verdicts[i], true, `${file} is not TOML 1.0`);
	});
});

test('the Picard fixtures are unchanged copies of the real manifests', () => {
	// Guard against an editor or formatter "fixing" them: they must stay as the plugins ship them.
	const expected: Record<string, string> = {
		'add-to-collection.toml': 'e1b75c53b8b4401f7263842f9c164cf354eedd214073e8c8b687eefb6b15193a',
		'additional-artists-details.toml':
			'80aa4cd883c4fd6d0e5d9ecfa882b28b2963771321473390d08e5c8fe0ce15ae',
		'replaygain2.toml': '898cae91ddcd533ab362c08cdad9baad0e24845e7c961b9d124de484f8f54d0a',
	};
	for (const [name, sha256] of Object.entries(expected)) {
		const bytes = readFileSync(join(FIXTURES, 'picard', name));
		assert.equal(createHash('sha256').update(bytes).digest('hex'), sha256, name);
	}
});
