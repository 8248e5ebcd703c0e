/** Manifest validation rules: spec §11 items 1-10, plus the reference's exact error pairs. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifestText, validateManifest } from '../../src/manifest/index.ts';
import { check, codes, GOOD_UUID, hasTerminalControls, pairs, tomlString } from './helpers.ts';

describe('§11.1 required fields', () => {
	for (const field of ['uuid', 'name', 'description', 'api']) {
		test(`a manifest without ${field} is rejected`, () => {
			const result = check({ [field]: undefined });
			assert.equal(result.manifest, undefined);
			assert.deepEqual(pairs(result.errors), [['MISSING_FIELD', field]]);
		});
	}

	test('an empty string counts as missing and as empty (two errors, as the reference)', () => {
		const result = check({ name: '""' });
		assert.deepEqual(pairs(result.errors), [
			['MISSING_FIELD', 'name'],
			['EMPTY_FIELD', 'name'],
		]);
	});

	test('an empty api array counts as missing and as empty', () => {
		assert.deepEqual(pairs(check({ api: '[]' }).errors), [
			['MISSING_FIELD', 'api'],
			['EMPTY_FIELD', 'api'],
		]);
	});

	test('an empty uuid is missing and not a UUID', () => {
		assert.deepEqual(pairs(check({ uuid: '""' }).errors), [
			['MISSING_FIELD', 'uuid'],
			['INVALID_UUID', 'uuid'],
		]);
	});

	test('a wrong type names the field', () => {
		assert.deepEqual(pairs(check({ name: '42' }).errors), [['WRONG_TYPE', 'name']]);
		assert.deepEqual(pairs(check({ api: '"3.0"' }).errors), [['WRONG_TYPE', 'api']]);
		assert.deepEqual(pairs(check({ description: '1979-05-27' }).errors), [
			['WRONG_TYPE', 'description'],
		]);
	});
});

describe('§11.2 UUID shape', () => {
	const cases: [string, string][] = [
		['wrong version nibble', '3713d8f5-72b0-101d-9ec9-3818380bc576'],
		['wrong variant', '3713d8f5-72b0-401d-7ec9-3818380bc576'],
		['not 8-4-4-4-12', '3713d8f572b0-401d-9ec9-3818380bc576'],
		['not hex', '3713d8f5-72b0-401d-9ec9-3818380bc57g'],
		['surrounding space', ` ${GOOD_UUID}`],
	];
	for (const [label, uuid] of cases) {
		test(`a UUID with ${label} is rejected`, () => {
			assert.deepEqual(pairs(check({ uuid: tomlString(uuid) }).errors), [['INVALID_UUID', 'uuid']]);
		});
	}

	test('upper-case hex is accepted and the UUID is lowercased', () => {
		const result = check({ uuid: tomlString(GOOD_UUID.toUpperCase()) });
		assert.deepEqual(result.errors, []);
		assert.equal(result.manifest?.uuid, GOOD_UUID);
	});
});

describe('§11.3 placeholder UUIDs', () => {
	for (const uuid of [
		'12345678-1234-4234-8234-123456789abc',
		'a1b2c3d4-e5f6-4789-8b9c-1d2e3f4a5b6c',
		// Valid v4 shape, but only a few distinct digits: typed by hand.
		'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaab',
	]) {
		test(`${uuid} is rejected as a placeholder`, () => {
			assert.deepEqual(pairs(check({ uuid: tomlString(uuid) }).errors), [
				['PLACEHOLDER_UUID', 'uuid'],
			]);
		});
	}
});

describe('§11.4 lengths and blank values', () => {
	const limits: [string, number][] = [
		['name', 100],
		['description', 200],
		['long_description', 2000],
	];
	for (const [field, max] of limits) {
		test(`${field} may have ${max} code points but not ${max + 1}`, () => {
			assert.deepEqual(check({ [field]: tomlString('x'.repeat(max)) }).errors, []);
			assert.deepEqual(pairs(check({ [field]: tomlString('x'.repeat(max + 1)) }).errors), [
				['TOO_LONG', field],
			]);
		});
	}

	test('lengths count code points, not UTF-16 units', () => {
		// 100 emoji are 200 UTF-16 units but 100 code points: allowed.
		assert.deepEqual(check({ name: tomlString('😀'.repeat(100)) }).errors, []);
		assert.deepEqual(pairs(check({ name: tomlString('😀'.repeat(101)) }).errors), [
			['TOO_LONG', 'name'],
		]);
	});

	for (const field of [
		'name',
		'description',
		'long_description',
		'license',
		'homepage',
		'version',
	]) {
		test(`a whitespace-only ${field} is rejected as empty`, () => {
			assert.deepEqual(pairs(check({ [field]: tomlString(' \t ') }).errors), [
				['EMPTY_FIELD', field],
			]);
		});
	}
});

describe('§11.5 Markdown fields', () => {
	test('an HTML tag in long_description is rejected', () => {
		assert.deepEqual(pairs(check({ long_description: tomlString('a <b>bold</b> word') }).errors), [
			['HTML_NOT_ALLOWED', 'long_description'],
		]);
	});

	test('<script in any case is both HTML and dangerous content', () => {
		const result = check({ long_description: tomlString('x <ScRiPt src="y"></script>') });
		assert.deepEqual(pairs(result.errors), [
			['HTML_NOT_ALLOWED', 'long_description'],
			['DANGEROUS_CONTENT', 'long_description'],
		]);
		// Without a closing `>` only the dangerous-content rule applies.
		assert.deepEqual(codes(check({ long_description: tomlString('x <SCRIPT') }).errors), [
			'DANGEROUS_CONTENT',
		]);
	});

	test('every long_description_i18n value gets the same checks, with its locale in the path', () => {
		const tail = '[long_description_i18n]\nde = "ok"\nfr = "<i>non</i>"\nnl = "<script"\n';
		assert.deepEqual(pairs(check({}, tail).errors), [
			['HTML_NOT_ALLOWED', 'long_description_i18n.fr'],
			['DANGEROUS_CONTENT', 'long_description_i18n.nl'],
		]);
	});

	test('a list indented 36 places is too deep, reported once per field', () => {
		const deep = `- a\n${' '.repeat(36)}- b\n${' '.repeat(40)}* c\n`;
		assert.deepEqual(pairs(check({ long_description: tomlString(deep) }).errors), [
			['LIST_TOO_DEEP', 'long_description'],
		]);
		const shallow = `- a\n${' '.repeat(35)}- b\n${' '.repeat(36)}text, not a list\n`;
		assert.deepEqual(check({ long_description: tomlString(shallow) }).errors, []);
		const tail = `[long_description_i18n]\nde = ${tomlString(`\t${' '.repeat(35)}+ x`)}\n`;
		assert.deepEqual(pairs(check({}, tail).errors), [
			['LIST_TOO_DEEP', 'long_description_i18n.de'],
		]);
	});

	test('plain Markdown with links, emphasis and shallow lists passes', () => {
		const text = '# Title\n\nSee [docs](https://example.org), *this* and `code`.\n\n- a\n    - b\n';
		assert.deepEqual(check({ long_description: tomlString(text) }).errors, []);
	});
});

describe('§11.6 report_bugs_to', () => {
	for (const url of [
		'https://example.org/issues',
		'http://example.org',
		'mailto:a@example.org',
		'  https://x.org',
	]) {
		test(`${url.trim()} is accepted`, () => {
			assert.deepEqual(check({ report_bugs_to: tomlString(url) }).errors, []);
		});
	}
	for (const url of [
		'javascript:alert(1)',
		'file:///etc/passwd',
		'ftp://example.org',
		'example.org',
	]) {
		test(`${url} is rejected`, () => {
			assert.deepEqual(pairs(check({ report_bugs_to: tomlString(url) }).errors), [
				['INVALID_URL_SCHEME', 'report_bugs_to'],
			]);
		});
	}

	test('homepage and license_url must be http(s) links (Vouch rule)', () => {
		const result = check({ homepage: '"javascript:alert(1)"', license_url: '"data:text/html,x"' });
		assert.deepEqual(pairs(result.errors), [
			['INVALID_URL_SCHEME', 'license_url'],
			['INVALID_URL_SCHEME', 'homepage'],
		]);
	});
});

describe('§11.7 source_locale', () => {
	for (const locale of ['en', 'de', 'pt_BR', 'fil']) {
		test(`${locale} is accepted`, () => {
			const result = check({ source_locale: tomlString(locale) });
			assert.deepEqual(result.errors, []);
			assert.equal(result.manifest?.sourceLocale, locale);
		});
	}
	for (const locale of ['EN', 'en-US', 'en_us', 'english', 'e', 'en_USA']) {
		test(`${locale} is rejected`, () => {
			assert.deepEqual(pairs(check({ source_locale: tomlString(locale) }).errors), [
				['INVALID_LOCALE', 'source_locale'],
			]);
		});
	}

	test('the default is en', () => {
		assert.equal(check().manifest?.sourceLocale, 'en');
	});

	test('a blank source_locale is reported once, as empty', () => {
		assert.deepEqual(pairs(check({ source_locale: '" "' }).errors), [
			['EMPTY_FIELD', 'source_locale'],
		]);
	});
});

describe('§11.8 empty tables and arrays, API entries', () => {
	for (const section of ['name_i18n', 'description_i18n', 'long_description_i18n']) {
		test(`an empty [${section}] is rejected`, () => {
			assert.deepEqual(pairs(check({}, `[${section}]\n`).errors), [['EMPTY_SECTION', section]]);
		});
	}
	for (const field of ['authors', 'maintainers', 'categories']) {
		test(`an empty ${field} array is rejected`, () => {
			assert.deepEqual(pairs(check({ [field]: '[]' }).errors), [['EMPTY_FIELD', field]]);
		});
		test(`a non-string item in ${field} is rejected`, () => {
			assert.deepEqual(pairs(check({ [field]: '["ok", 7]' }).errors), [
				['WRONG_TYPE', `${field}[1]`],
			]);
		});
	}

	test('non-string and unparsable API entries are rejected, each with its index', () => {
		assert.deepEqual(pairs(check({ api: '["3.0", 3, "three", " "]' }).errors), [
			['WRONG_TYPE', 'api[1]'],
			['INVALID_API_VERSION', 'api[2]'],
			['EMPTY_FIELD', 'api[3]'],
		]);
	});

	test('i18n values must be strings', () => {
		assert.deepEqual(pairs(check({}, '[name_i18n]\nde = 1\n').errors), [
			['WRONG_TYPE', 'name_i18n.de'],
		]);
	});

	test('a version that does not parse is INVALID_VERSION', () => {
		assert.deepEqual(pairs(check({ version: '"v1.0"' }).errors), [['INVALID_VERSION', 'version']]);
		assert.equal(check({ version: '"1.2.0"' }).manifest?.version, '1.2.0');
	});
});

test('§11.9 every error is reported at once', () => {
	const text = [
		'uuid = "not-a-uuid"',
		'name = ""',
		`description = ${tomlString('d'.repeat(201))}`,
		'api = ["3.0", 3]',
		'report_bugs_to = "javascript:alert(1)"',
		'source_locale = "xx-YY"',
		'long_description = "<script>"',
		'authors = []',
		'[name_i18n]',
		'[capabilities]',
		'network = "yes"',
	].join('\n');
	const result = parseManifestText(text, 'MANIFEST.toml');
	assert.equal(result.manifest, undefined);
	const found = new Set(codes(result.errors));
	for (const code of [
		'INVALID_UUID',
		'MISSING_FIELD',
		'EMPTY_FIELD',
		'TOO_LONG',
		'WRONG_TYPE',
		'INVALID_URL_SCHEME',
		'INVALID_LOCALE',
		'HTML_NOT_ALLOWED',
		'DANGEROUS_CONTENT',
		'EMPTY_SECTION',
		'INVALID_CAPABILITY',
	]) {
		assert.ok(found.has(code), `expected ${code}`);
	}
	assert.equal(result.errors.length, 12);
});

describe('§11.10 unknown keys', () => {
	test('unknown top-level keys are one warning that lists them, never an error', () => {
		const result = check({ homepag: '"https://x.org"', extra: '1' }, '[future]\nx = 1\n');
		assert.deepEqual(result.errors, []);
		assert.ok(result.manifest);
		const unknown = result.warnings.filter((w) => w.code === 'UNKNOWN_FIELD');
		assert.equal(unknown.length, 1);
		for (const key of ['homepag', 'extra', 'future'])
			assert.match(unknown[0]?.message ?? '', new RegExp(key));
	});

	test('a manifest with only known keys has no unknown-key warning', () => {
		assert.ok(!codes(check().warnings).includes('UNKNOWN_FIELD'));
	});
});

describe('Vouch warnings', () => {
	test('a multi-line description is a warning, not an error', () => {
		const result = check({ description: tomlString('line one\nline two') });
		assert.deepEqual(result.errors, []);
		assert.deepEqual(pairs(result.warnings.filter((w) => w.code === 'MULTILINE_TEXT')), [
			['MULTILINE_TEXT', 'description'],
		]);
	});

	test('categories outside the host profile are warnings; without a profile list nothing is said', () => {
		const result = check({ categories: '["metadata", "telemetry"]' }, '', ['metadata', 'ui']);
		assert.deepEqual(result.errors, []);
		assert.deepEqual(pairs(result.warnings.filter((w) => w.code === 'UNKNOWN_CATEGORY')), [
			['UNKNOWN_CATEGORY', 'categories[1]'],
		]);
		assert.ok(!codes(check({ categories: '["telemetry"]' }).warnings).includes('UNKNOWN_CATEGORY'));
	});
});

describe('untrusted text in messages', () => {
	test('terminal escapes in name stay in the value but never in a message', () => {
		const evil = '\u001b[2J\u001b]0;pwned\u0007Evil\u202ename';
		const ok = check({ name: tomlString(evil) });
		assert.equal(ok.manifest?.name, evil, 'validation keeps the raw value');
		const bad = check(
			{ name: tomlString(evil), uuid: tomlString(`${evil}-uuid`) },
			`[name_i18n]\n${tomlString(evil)} = 5\n`,
		);
		assert.ok(bad.errors.length >= 2);
		for (const issue of [...bad.errors, ...bad.warnings]) {
			for (const text of [issue.message, issue.field ?? '']) {
				assert.ok(!hasTerminalControls(text), text);
			}
		}
	});

	test('an unknown key with control characters is listed sanitised', () => {
		const result = check({}, `${tomlString('bad\u001b[31mkey')} = 1\n`);
		const warning = result.warnings.find((w) => w.code === 'UNKNOWN_FIELD');
		assert.ok(warning);
		assert.ok(!hasTerminalControls(warning.message));
		assert.match(warning.message, /badkey/);
	});
});

describe('the valid result', () => {
	test('fields are camelCased and defaults filled in', () => {
		const result = check(
			{
				license_url: '"https://spdx.org/licenses/MIT.html"',
				report_bugs_to: '"https://x.org/issues"',
				min_python_version: '"3.9"',
				long_description: '"Long"',
			},
			'[description_i18n]\nde = "Tut eine Sache"\n',
		);
		assert.deepEqual(result.errors, []);
		assert.deepEqual(result.manifest, {
			uuid: GOOD_UUID,
			name: 'Example',
			description: 'Does one thing',
			api: ['3.0'],
			authors: [],
			maintainers: [],
			categories: [],
			sourceLocale: 'en',
			nameI18n: {},
			descriptionI18n: { de: 'Tut eine Sache' },
			longDescriptionI18n: {},
			capabilities: { status: 'undeclared' },
			licenseUrl: 'https://spdx.org/licenses/MIT.html',
			longDescription: 'Long',
			reportBugsTo: 'https://x.org/issues',
			minPythonVersion: '3.9',
		});
	});

	test('validateManifest refuses a non-table without throwing', () => {
		assert.deepEqual(codes(validateManifest(['x']).errors), ['WRONG_TYPE']);
		assert.deepEqual(codes(validateManifest(null).errors), ['WRONG_TYPE']);
	});

	test('problems beyond the bound are counted, not listed', () => {
		const many = `[${Array.from({ length: 32 }, () => '1').join(', ')}]`;
		const result = check({ authors: many, maintainers: many, categories: many, api: many });
		assert.ok(result.errors.length <= 101);
		assert.equal(result.errors.at(-1)?.code, 'ISSUES_TRUNCATED');
	});
});
