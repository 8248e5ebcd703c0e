import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVouchError } from '../../src/core/errors.ts';
import {
	generatePluginUuid,
	isCanonicalUuid,
	isUuidV4,
	isUuidVariant,
	isValidPluginUuid,
	MIN_UUID_ENTROPY_BITS,
	normaliseUuid,
	PLACEHOLDER_UUIDS,
	parseUuidArgument,
	uuidEntropy,
	uuidProblem,
} from '../../src/core/uuid.ts';

const GOOD = '78430c8c-d2ed-4dcf-8b3f-d2bc8b7348ac';

describe('UUID validation (spec items 2, 3)', () => {
	it('accepts a v4 UUID in any case, and normaliseUuid lowercases it', () => {
		assert.ok(isValidPluginUuid(GOOD));
		assert.ok(isValidPluginUuid(GOOD.toUpperCase()));
		assert.equal(normaliseUuid(`  ${GOOD.toUpperCase()}\n`), GOOD);
	});

	it('rejects the wrong version nibble, variant or shape', () => {
		const bad = [
			'78430c8c-d2ed-1dcf-8b3f-d2bc8b7348ac', // version 1
			'78430c8c-d2ed-4dcf-cb3f-d2bc8b7348ac', // variant c
			'78430c8cd2ed4dcf8b3fd2bc8b7348ac', // no hyphens
			`{${GOOD}}`,
			`${GOOD}0`,
			'78430c8c-d2ed-4dcf-8b3f-d2bc8b7348ag',
			'',
		];
		for (const value of bad) {
			assert.equal(uuidProblem(value), 'not-v4', value);
			assert.equal(isUuidV4(value), false, value);
		}
	});

	it('rejects every placeholder', () => {
		for (const value of PLACEHOLDER_UUIDS) {
			assert.equal(isValidPluginUuid(value), false, value);
			assert.equal(isValidPluginUuid(value.toUpperCase()), false, value);
			if (isUuidV4(value)) assert.equal(uuidProblem(value), 'placeholder', value);
		}
		assert.equal(uuidProblem('12345678-1234-4234-8234-123456789ABC'), 'placeholder');
	});

	it('rejects v4-shaped UUIDs with too little entropy', () => {
		for (const value of [
			'11111111-1111-4111-8111-111111111111',
			'abababab-abab-4bab-abab-abababababab',
		]) {
			assert.ok(isUuidV4(value));
			assert.ok(uuidEntropy(value) < MIN_UUID_ENTROPY_BITS);
			assert.equal(uuidProblem(value), 'low-entropy', value);
		}
	});

	it('measures Shannon entropy over the hex digits only', () => {
		assert.equal(uuidEntropy('00000000-0000-0000-0000-000000000000'), 0);
		assert.equal(uuidEntropy('01010101-0101-0101-0101-010101010101'), 1);
		assert.equal(uuidEntropy('0123456789abcdef0123456789ABCDEF'), 4);
		assert.equal(uuidEntropy(''), 0);
	});
});

describe('generatePluginUuid', () => {
	it('retries past rejected UUIDs from the random source', () => {
		const queue = [
			'not a uuid',
			'00000000-0000-0000-0000-000000000000',
			'12345678-1234-4234-8234-123456789abc',
			'11111111-1111-4111-8111-111111111111',
			GOOD.toUpperCase(),
		];
		let calls = 0;
		const uuid = generatePluginUuid(() => queue[calls++] ?? 'x');
		assert.equal(uuid, GOOD);
		assert.equal(calls, queue.length);
	});

	it('gives up with a VouchError when the random source is broken', () => {
		assert.throws(
			() => generatePluginUuid(() => '11111111-1111-4111-8111-111111111111'),
			(error: unknown) => isVouchError(error) && error.code === 'INVALID_UUID',
		);
	});

	it('only ever yields UUIDs that validate', () => {
		const candidate = fc.oneof(
			fc.uuid({ version: 4 }),
			fc.constantFrom(...PLACEHOLDER_UUIDS),
			fc.string(),
		);
		fc.assert(
			fc.property(fc.array(candidate, { maxLength: 20 }), (values) => {
				let i = 0;
				try {
					const uuid = generatePluginUuid(() => values[i++] ?? GOOD);
					assert.ok(isValidPluginUuid(uuid));
					assert.equal(uuid, uuid.toLowerCase());
				} catch (error) {
					assert.fail(`unexpected ${String(error)}`);
				}
			}),
			{ numRuns: 200 },
		);
		for (let n = 0; n < 200; n++) assert.ok(isValidPluginUuid(generatePluginUuid()));
	});
});

describe('UUID spellings: only the canonical form is accepted from people', () => {
	const variants = [
		`{${GOOD}}`,
		`urn:uuid:${GOOD}`,
		`URN:UUID:${GOOD.toUpperCase()}`,
		GOOD.replaceAll('-', ''),
		`{${GOOD.replaceAll('-', '')}}`,
	];

	it('parses the canonical form in any case, lowercased', () => {
		assert.equal(parseUuidArgument(GOOD.toUpperCase()), GOOD);
		assert.ok(isCanonicalUuid(GOOD));
		assert.equal(isUuidVariant(GOOD), false);
	});

	it('refuses every other spelling as a usage error (exit 2) with a hint', () => {
		for (const value of [...variants, 'nope', `${GOOD}0`, '', `${GOOD}\u200b`]) {
			assert.throws(
				() => parseUuidArgument(value),
				(error: unknown) =>
					isVouchError(error) &&
					error.code === 'INVALID_UUID' &&
					error.exitCode === 2 &&
					/8-4-4-4-12/.test(error.hint ?? ''),
				value,
			);
		}
	});

	it('compares the other spellings equal, so a library caller cannot dodge a blacklist', () => {
		for (const value of variants) {
			assert.ok(isUuidVariant(value), value);
			assert.equal(normaliseUuid(value), GOOD, value);
		}
		assert.equal(normaliseUuid('something-else'), 'something-else');
	});
});
