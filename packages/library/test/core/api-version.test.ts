import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
	apiVersionsIntersect,
	compareApiVersions,
	formatApiVersion,
	parseApiVersion,
} from '../../src/core/api-version.ts';

function parsed(text: string) {
	const v = parseApiVersion(text);
	assert.ok(v, `${text} should parse`);
	return v;
}

describe('parseApiVersion (impl §7)', () => {
	it('reads 3, 3.0 and 3.0.0 as the same version', () => {
		assert.equal(compareApiVersions(parsed('3'), parsed('3.0')), 0);
		assert.equal(compareApiVersions(parsed('3.0'), parsed('3.0.0')), 0);
		assert.deepEqual(parsed('3'), parsed('3.0.0'));
	});

	it('rejects v3.0, 3.0.0-beta, 1.2.3.4 and other non-versions', () => {
		for (const text of [
			'v3.0',
			'3.0.0-beta',
			'1.2.3.4',
			'',
			'3.',
			'.3',
			' 3.0',
			'three',
			'1'.repeat(65),
		]) {
			assert.equal(parseApiVersion(text), undefined, text);
		}
		assert.equal(parseApiVersion(3 as unknown as string), undefined);
	});

	it('accepts pre-release spellings, with a and b for alpha and beta', () => {
		assert.equal(parsed('1.0.0a1').preRelease, 'alpha');
		assert.equal(parsed('1.0.0.b2').preRelease, 'beta');
		assert.equal(parsed('1_0_0_rc_3').preReleaseNumber, 3);
		assert.equal(parsed('1.0.0dev0').preRelease, 'dev');
	});

	it('refuses components large enough to overflow comparisons', () => {
		assert.equal(parseApiVersion('99999999999999999999.0'), undefined);
	});
});

describe('compareApiVersions', () => {
	it('orders dev < alpha < beta < rc < final', () => {
		const order = ['1.0.0dev1', '1.0.0alpha1', '1.0.0beta1', '1.0.0rc1', '1.0.0'];
		for (let i = 1; i < order.length; i++) {
			assert.ok(compareApiVersions(parsed(order[i - 1] ?? ''), parsed(order[i] ?? '')) < 0);
		}
	});

	it('compares numerically: 10.0 > 4.0, 3.10 > 3.9', () => {
		assert.ok(compareApiVersions(parsed('10.0'), parsed('4.0')) > 0);
		assert.ok(compareApiVersions(parsed('3.10'), parsed('3.9')) > 0);
		assert.ok(compareApiVersions(parsed('3.0.0rc2'), parsed('3.0.0rc10')) < 0);
		// As in the reference, a pre-release tag needs all three numbers.
		assert.equal(parseApiVersion('3.0rc2'), undefined);
	});

	it('agrees with a numeric tuple compare on plain versions', () => {
		const tuple = fc.tuple(fc.nat({ max: 50 }), fc.nat({ max: 50 }), fc.nat({ max: 50 }));
		fc.assert(
			fc.property(tuple, tuple, (a, b) => {
				const expected = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
				const actual = compareApiVersions(parsed(a.join('.')), parsed(b.join('.')));
				assert.equal(Math.sign(actual), Math.sign(expected));
			}),
			{ numRuns: 300 },
		);
	});
});

describe('formatApiVersion', () => {
	it('uses the reference string form', () => {
		assert.equal(formatApiVersion(parsed('1.0')), '1.0.0.final0');
		assert.equal(formatApiVersion(parsed('3.1.2b4')), '3.1.2.beta4');
	});
});

describe('apiVersionsIntersect', () => {
	it('is exact membership, not a range', () => {
		assert.ok(apiVersionsIntersect(['3.0', '3.1'], ['3.0']));
		assert.ok(apiVersionsIntersect(['3'], ['3.0']));
		assert.equal(apiVersionsIntersect(['3.5', '3.6'], ['3.0']), false);
		assert.equal(apiVersionsIntersect(['2.0', '2.1'], ['3.0']), false);
		assert.equal(apiVersionsIntersect([], ['3.0']), false);
		assert.equal(apiVersionsIntersect(['3.0'], []), false);
	});

	it('ignores unparsable entries on either side', () => {
		assert.equal(apiVersionsIntersect(['v3.0'], ['3.0']), false);
		assert.ok(apiVersionsIntersect(['junk', '3.0'], ['3.0']));
		assert.equal(apiVersionsIntersect(['3.0'], ['junk']), false);
	});
});
