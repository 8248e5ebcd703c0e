/** From text to manifest: size and depth bounds, unsafe keys, TOML errors and TOML 1.0 strictness. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { MAX_MANIFEST_BYTES, parseManifestText } from '../../src/manifest/index.ts';
import { hasTerminalControls, manifestText, tomllibAccepts, tomlString } from './helpers.ts';

function parseError(text: string, label = 'plugin/MANIFEST.toml') {
	try {
		parseManifestText(text, label);
	} catch (error) {
		assert.ok(isVouchError(error), `expected a VouchError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the text to be refused');
}

describe('bounded input', () => {
	test('a manifest over 256 KiB is refused before parsing', () => {
		// Pad with a comment: valid TOML, so only the size rule can refuse it.
		const base = manifestText();
		const padding = `#${'x'.repeat(MAX_MANIFEST_BYTES - base.length)}\n`;
		assert.equal(parseError(base + padding).code, 'MANIFEST_TOO_LARGE');
		const fits = `${base}#${'x'.repeat(MAX_MANIFEST_BYTES - base.length - 2)}\n`;
		assert.equal(Buffer.byteLength(fits), MAX_MANIFEST_BYTES);
		assert.deepEqual(parseManifestText(fits, 'm').errors, []);
	});

	test('the size is counted in UTF-8 bytes, not characters', () => {
		const base = manifestText();
		// 'é' is two bytes: this many fit as characters but not as bytes.
		const text = `${base}#${'é'.repeat((MAX_MANIFEST_BYTES - base.length) / 2 + 10)}\n`;
		assert.ok(text.length < MAX_MANIFEST_BYTES);
		assert.equal(parseError(text).code, 'MANIFEST_TOO_LARGE');
	});

	test('deeply nested inline arrays and tables are refused', () => {
		assert.equal(
			parseError(`${manifestText()}x = ${'['.repeat(40)}${']'.repeat(40)}\n`).code,
			'MANIFEST_TOO_DEEP',
		);
		assert.equal(
			parseError(`${manifestText()}x = ${'{a = '.repeat(40)}1${'}'.repeat(40)}\n`).code,
			'MANIFEST_TOO_DEEP',
		);
	});

	test('deeply nested table headers and dotted keys are refused too', () => {
		const path = Array.from({ length: 40 }, (_, i) => `k${i}`).join('.');
		assert.equal(parseError(`${manifestText()}[${path}]\nx = 1\n`).code, 'MANIFEST_TOO_DEEP');
		assert.equal(parseError(`${manifestText()}${path} = 1\n`).code, 'MANIFEST_TOO_DEEP');
	});

	test('a thousand-level header (built without recursion) does not crash the checker', () => {
		const path = Array.from({ length: 1000 }, () => 'a').join('.');
		assert.equal(parseError(`${manifestText()}[${path}]\n`).code, 'MANIFEST_TOO_DEEP');
	});

	test('two levels of unknown nesting are fine', () => {
		const result = parseManifestText(`${manifestText()}[future.table]\nx = [[1], [2]]\n`, 'm');
		assert.deepEqual(result.errors, []);
	});
});

describe('prototype keys', () => {
	for (const [label, text] of [
		['bare', '__proto__ = "x"'],
		['quoted', '"__proto__" = { polluted = true }'],
		['header', '[__proto__]\npolluted = true'],
		['dotted', 'name_i18n.__proto__.polluted = true'],
		['constructor', '[constructor]\nprototype = 1'],
	] as const) {
		test(`a ${label} __proto__-style key is refused and pollutes nothing`, () => {
			const error = parseError(`${manifestText()}${text}\n`);
			assert.equal(error.code, 'MANIFEST_PARSE_ERROR');
			assert.equal(({} as Record<string, unknown>).polluted, undefined);
		});
	}
});

describe('TOML errors', () => {
	test('invalid TOML names the file, line and column', () => {
		const error = parseError('name = "x"\nuuid = \n', 'some/plugin/MANIFEST.toml');
		assert.equal(error.code, 'MANIFEST_PARSE_ERROR');
		assert.match(error.message, /some\/plugin\/MANIFEST\.toml/);
		assert.match(error.message, /line 2, column \d+/);
		assert.deepEqual(error.details?.line, 2);
		assert.ok(error.hint);
	});

	test('a duplicate key is a parse error', () => {
		assert.equal(parseError(`${manifestText()}name = "again"\n`).code, 'MANIFEST_PARSE_ERROR');
	});

	test('control characters in the file label are stripped from messages', () => {
		const error = parseError('x = \n', 'evil\u001b[31m/MANIFEST.toml');
		assert.ok(!hasTerminalControls(error.message));
	});
});

/**
 * Constructs TOML 1.1 added (smol-toml reads them, Python's tomllib does not), and TOML 1.0
 * that looks close to them. Each is checked against our parser and, when python3 is
 * available, against tomllib itself, so the two can never disagree on these cases.
 */
const TOML_CASES: readonly (readonly [label: string, snippet: string, toml10: boolean])[] = [
	['\\x escape', 'x = "\\x41"', false],
	['\\e escape', 'x = "\\e[31m"', false],
	['\\x escape in a multi-line string', 'x = """\n\\x41"""', false],
	['backslash-x in a literal string', "x = 'C:\\xfiles'", true],
	['escaped backslash before x', 'x = "\\\\x41"', true],
	['newline in an inline table', 'x = { a = 1,\n b = 2 }', false],
	['comment in an inline table', 'x = { a = 1, # c\n b = 2 }', false],
	['trailing comma in an inline table', 'x = { a = 1, }', false],
	['trailing comma in an array', 'x = [1, 2,]', true],
	['multi-line array with comments', 'x = [\n 1, # one\n 2,\n]', true],
	['inline table in a multi-line array', 'x = [\n { a = 1 },\n]', true],
	['time without seconds', 'x = 07:32', false],
	['date-time without seconds', 'x = 1979-05-27T07:32Z', false],
	['date-time with space, no seconds', 'x = 1979-05-27 07:32', false],
	['full date-time with offset', 'x = 1979-05-27T07:32:00-07:00', true],
	['local time with fraction', 'x = 07:32:00.999', true],
	['30 February', 'x = 2020-02-30', false],
	['29 February in a leap year', 'x = 2020-02-29', true],
	['29 February in 1900', 'x = [1900-02-29]', false],
	['31 April', 'x = 2021-04-31T00:00:00', false],
	['date-like bare key', '2020-02-30 = 1', true],
	['date-like key in an inline table', 'x = { 2020-02-30 = 1 }', true],
	['date-like table header', '[2020-02-30]\nx = 1', true],
	['colon inside a string', 'x = "07:32"', true],
	['colon in a comment', 'x = 1 # at 07:32', true],
	['quotes inside a multi-line string', 'x = """a ""quoted"" word"""""', true],
	['multi-line literal', "x = '''\nline { a = 1,\n'''", true],
	['array of tables', '[[x]]\na = 1\n[[x]]\na = 2', true],
];

describe('TOML 1.0 only (Picard reads manifests with tomllib)', () => {
	for (const [label, snippet, toml10] of TOML_CASES) {
		test(`${label}: ${toml10 ? 'accepted' : 'refused with its position'}`, () => {
			const text = `${manifestText()}${snippet}\n`;
			if (toml10) {
				assert.doesNotThrow(() => parseManifestText(text, 'm'));
			} else {
				const error = parseError(text);
				assert.equal(error.code, 'MANIFEST_PARSE_ERROR');
				assert.match(error.message, /line \d+, column \d+/);
			}
		});
	}

	test('a byte-order mark is refused', () => {
		assert.equal(parseError(`\ufeff${manifestText()}`).code, 'MANIFEST_PARSE_ERROR');
	});

	test('our verdict matches Python tomllib on every case', (t) => {
		const texts = TOML_CASES.map(([, snippet]) => `${manifestText()}${snippet}\n`);
		const python = tomllibAccepts([...texts, `\ufeff${manifestText()}`]);
		if (python === undefined) {
			t.skip('python3 with tomllib is not available');
			return;
		}
		texts.forEach((text, i) => {
			let ours = true;
			try {
				parseManifestText(text, 'm');
			} catch {
				ours = false;
			}
			assert.equal(ours, python[i], `case "${TOML_CASES[i]?.[0]}": tomllib says ${python[i]}`);
			assert.equal(
				TOML_CASES[i]?.[2],
				python[i],
				`case "${TOML_CASES[i]?.[0]}" is labelled wrongly`,
			);
		});
		assert.equal(python.at(-1), false);
	});

	test('strings with 1.0 escapes and unicode pass', () => {
		const result = parseManifestText(
			manifestText({ name: tomlString('Tab\there \u00e9 \\ "q"') }),
			'm',
		);
		assert.deepEqual(result.errors, []);
		assert.equal(result.manifest?.name, 'Tab\there \u00e9 \\ "q"');
	});
});
