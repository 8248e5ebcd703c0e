import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { escapeHtml, redactUrlCredentials, sanitizeText } from '../../src/core/sanitize.ts';

const ESC = '\u001b';

describe('sanitizeText: terminal escapes (D24, spec item 66)', () => {
	it('strips CSI sequences', () => {
		assert.equal(sanitizeText(`${ESC}[31mred${ESC}[0m plain`), 'red plain');
		assert.equal(sanitizeText(`a${ESC}[2J${ESC}[1;1Hb`), 'ab');
	});

	it('strips OSC title sets, bell- and ST-terminated', () => {
		assert.equal(sanitizeText(`${ESC}]0;pwned\u0007name`), 'name');
		assert.equal(sanitizeText(`${ESC}]2;pwned${ESC}\\name`), 'name');
		assert.equal(sanitizeText(`${ESC}]8;;https://evil/${ESC}\\link${ESC}]8;;${ESC}\\`), 'link');
	});

	it('drops an unterminated sequence to the end, and other two-byte escapes', () => {
		assert.equal(sanitizeText(`ok${ESC}]0;never ends`), 'ok');
		assert.equal(sanitizeText(`a${ESC}cb`), 'ab');
		assert.equal(sanitizeText(`a${ESC}`), 'a');
	});

	it('drops C0 and C1 controls, DEL and CR', () => {
		assert.equal(sanitizeText('a\u0000b\u0007c\u0008d\u007fe'), 'abcde');
		assert.equal(sanitizeText('a\u009b31mb\u0085c'), 'a31mbc');
		assert.equal(sanitizeText('safe\rEVIL'), 'safeEVIL');
	});

	it('marks bidi overrides, isolates and direction marks instead of hiding that they were there', () => {
		// Dropped silently, `abc\u202edcba\u202c` would read as an ordinary `abcdcba`: the
		// reader must see that the text held something meant to reorder it.
		assert.equal(sanitizeText('abc\u202edcba\u202c'), 'abc\ufffddcba\ufffd');
		assert.equal(sanitizeText('\u2066x\u2069\u200e\u200f\u061cy'), '\ufffdx\ufffdy');
		for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
			assert.equal(sanitizeText(`pay${String.fromCodePoint(cp)}pal`), 'pay\ufffdpal');
		}
		// Next to other invisible characters it is one run, shown once.
		assert.equal(sanitizeText('a\u200b\u202e\u200bb'), 'a\ufffdb');
		// A zero-width no-break space is dropped only as a byte order mark, at the start.
		assert.equal(sanitizeText('\ufeffx\ufeffy'), 'x\ufffdy');
	});

	it('marks every default-ignorable character, not only the common ones', () => {
		// Each draws nothing: `pay<it>pal` would read as `paypal`.
		for (const cp of [
			0x1d173, 0x1d17a, 0x1bca0, 0x1bca3, 0x2065, 0xfff0, 0xfff8, 0xfff9, 0xfffb, 0xe0080, 0xe0fff,
			0x180b, 0x180f,
		]) {
			assert.equal(
				sanitizeText(`pay${String.fromCodePoint(cp)}pal`),
				'pay\ufffdpal',
				cp.toString(16),
			);
		}
		// A Mongolian free variation selector after a Mongolian letter has a job there.
		assert.equal(sanitizeText('\u1820\u180b'), '\u1820\u180b');
	});

	it('turns newlines and tabs into spaces unless multiline', () => {
		assert.equal(sanitizeText('a\nb\tc'), 'a b c');
		assert.equal(sanitizeText('a\nb\tc\r\n', { multiline: true }), 'a\nb\tc\n');
	});

	it('keeps ordinary Unicode, including astral characters', () => {
		assert.equal(sanitizeText('Übersetzt 日本 🎵'), 'Übersetzt 日本 🎵');
	});

	it('truncates to a number of code points with an ellipsis', () => {
		assert.equal(sanitizeText('abcdef', { maxLength: 4 }), 'abc…');
		assert.equal(sanitizeText('abc', { maxLength: 3 }), 'abc');
		assert.equal(sanitizeText('🎵🎵🎵', { maxLength: 2 }), '🎵…');
		assert.equal(sanitizeText('abc', { maxLength: 0 }), '');
	});

	it('stringifies non-strings', () => {
		assert.equal(sanitizeText(undefined), '');
		assert.equal(sanitizeText(42), '42');
	});
});

describe('credential redaction', () => {
	it('redacts userinfo in URLs', () => {
		assert.equal(sanitizeText('https://user:pass@host/r'), 'https://***@host/r');
		assert.equal(redactUrlCredentials('ssh://token@host'), 'ssh://***@host');
		assert.equal(redactUrlCredentials('https://u:p@ss@host/x'), 'https://***@host/x');
		assert.equal(redactUrlCredentials('https://host/a@b'), 'https://host/a@b');
		assert.equal(redactUrlCredentials('no url here'), 'no url here');
	});

	it('never shows a host a browser would not visit when a backslash comes before the user part', () => {
		// A browser opens evil.example for this (WHATWG reads `\\` as `/`); curl would send
		// evil.example as a user name. `***@github.com` would show a host the link never reaches.
		assert.equal(redactUrlCredentials('https://evil.example\\@github.com/org'), 'https://***/org');
		assert.equal(redactUrlCredentials('https://u:p\\w@host/x'), 'https://***/x');
		// After the user part a backslash is only part of the path.
		assert.equal(redactUrlCredentials('https://u:p@host\\x'), 'https://***@host\\x');
	});

	it('redacts inside longer git stderr text', () => {
		const stderr =
			"Cloning into 'x'...\nremote: denied\nfatal: unable to access 'https://bot:ghp_abc123@github.com/o/r.git/': The requested URL returned error: 403\nsee http://a:b@mirror/r too";
		const out = sanitizeText(stderr, { multiline: true });
		assert.equal(out.includes('ghp_abc123'), false);
		assert.equal(out.includes('a:b@'), false);
		assert.ok(out.includes("'https://***@github.com/o/r.git/'"));
		assert.ok(out.includes('http://***@mirror/r'));
	});

	it('cannot be dodged by hiding the separator behind an escape sequence', () => {
		const out = sanitizeText(`https://user:se${ESC}[0mcret@host/r`);
		assert.equal(out.includes('secret'), false);
	});
});

describe('sanitizeText properties', () => {
	const nasty = fc.string({
		unit: fc.oneof(
			fc.constantFrom(
				ESC,
				'[',
				']',
				'\u0007',
				'\\',
				'\n',
				'\t',
				'\r',
				'\u009b',
				'\u202e',
				'P',
				'_',
				'm',
				'0',
				';',
			),
			fc.integer({ min: 0, max: 0x9f }).map((c) => String.fromCharCode(c)),
			fc.string({ maxLength: 1 }),
		),
		maxLength: 60,
	});

	it('never outputs ESC or C0/C1 controls (only \\n and \\t in multiline mode)', () => {
		fc.assert(
			fc.property(nasty, fc.boolean(), (text, multiline) => {
				const out = sanitizeText(text, { multiline });
				for (const ch of out) {
					const cp = ch.codePointAt(0) ?? 0;
					const allowed = multiline && (cp === 0x0a || cp === 0x09);
					assert.ok(allowed || !(cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)), `U+${cp.toString(16)}`);
					assert.ok(!(cp >= 0x202a && cp <= 0x202e));
				}
			}),
			{ numRuns: 1000 },
		);
	});

	it('never lets a generated credential through', () => {
		fc.assert(
			fc.property(
				fc.string({ maxLength: 20 }),
				fc.nat(),
				fc.string({ maxLength: 20 }),
				(before, n, after) => {
					const out = sanitizeText(`${before} https://zzsecret${n}:zzsecret${n}@host/x ${after}`);
					assert.equal(out.includes(`zzsecret${n}`), false);
				},
			),
			{ numRuns: 500 },
		);
	});
});

describe('escapeHtml', () => {
	it('escapes the five HTML-significant characters', () => {
		assert.equal(
			escapeHtml(`<script>"a" & 'b'</script>`),
			'&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;',
		);
	});
});
