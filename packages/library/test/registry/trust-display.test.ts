/** Plugin text beside a trust badge cannot draw a badge of its own (D12, D24). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { badgeSafeText, pluginNameLabel, TRUST_DISPLAY } from '../../src/registry/trust-display.ts';

/** Anything that would show as a badge glyph or hide in a line. */
const FORGERY_MARKS =
	/[\u{1f6e1}\u2713\u2714\u26a0\u{1f513}\u2705\u2611\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069]|\ufe0f/u;

describe('badgeSafeText and pluginNameLabel', () => {
	const forgeries = [
		'Nice 🛡️ official',
		'x\u200b✓ trusted',
		'\u202eflaiciffo 🛡️',
		'Good ✅ ✔️ ☑️ 🔓 ⚠️ plugin',
		'Keycap o\u20e3 and tag\u{e0041}s\u2060',
		...Object.values(TRUST_DISPLAY).map((display) => `Fake ${display.badge} ${display.label}`),
	];

	it('removes badge glyphs, variation selectors, zero-width and bidi characters', () => {
		for (const text of forgeries) {
			const safe = badgeSafeText(text);
			assert.doesNotMatch(safe, FORGERY_MARKS, JSON.stringify(text));
			for (const display of Object.values(TRUST_DISPLAY)) {
				assert.equal(safe.includes(display.badge), false, `${text}: ${display.badge}`);
			}
		}
		assert.equal(badgeSafeText('Nice 🛡️ official'), 'Nice official');
		// The invisible character is shown as such (core/invisible-text.ts), the check mark gone.
		assert.equal(badgeSafeText('x\u200b✓ trusted'), 'x\ufffd trusted');
		// A Persian name keeps its non-joiner; a joiner left with nothing to join is shown.
		assert.equal(badgeSafeText('\u0645\u06cc\u200c\u062e'), '\u0645\u06cc\u200c\u062e');
		assert.equal(badgeSafeText('\u00e9\u200c🛡️'), '\u00e9\ufffd');
	});

	it('keeps ordinary text of any script, and still strips escapes', () => {
		assert.equal(badgeSafeText('Übersetzt 日本 café'), 'Übersetzt 日本 café');
		assert.equal(badgeSafeText('Red \u001b[31mtext'), 'Red text');
	});

	it('quotes a name, so that its end is plain and a quote inside cannot close it early', () => {
		assert.equal(pluginNameLabel('Nice 🛡️ official'), '"Nice official"');
		assert.equal(pluginNameLabel('a" 🛡️ official "b'), `"a' official 'b"`);
		assert.equal(pluginNameLabel('x'.repeat(300), 10), `"${'x'.repeat(9)}…"`);
	});
});
