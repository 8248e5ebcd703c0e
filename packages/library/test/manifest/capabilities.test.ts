/** `[capabilities]` (D20): declared, undeclared, and refused when malformed. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS } from '../../src/manifest/index.ts';
import { check, codes, pairs } from './helpers.ts';

test('a missing table is "undeclared": a notice, not an error', () => {
	const result = check();
	assert.deepEqual(result.errors, []);
	assert.deepEqual(result.manifest?.capabilities, { status: 'undeclared' });
	assert.ok(codes(result.warnings).includes('CAPABILITIES_UNDECLARED'));
});

test('a declared table splits into granted, denied and unlisted, in canonical order', () => {
	const result = check(
		{},
		'[capabilities]\nsubprocess = true\nnetwork = true\nnative_code = false\n',
	);
	assert.deepEqual(result.errors, []);
	assert.deepEqual(result.manifest?.capabilities, {
		status: 'declared',
		granted: ['network', 'subprocess'],
		denied: ['native_code'],
		unlisted: ['filesystem_read', 'filesystem_write', 'config_read', 'config_write'],
	});
	assert.ok(!codes(result.warnings).includes('CAPABILITIES_UNDECLARED'));
});

test('an empty table declares nothing and leaves everything unlisted', () => {
	const capabilities = check({}, '[capabilities]\n').manifest?.capabilities;
	assert.deepEqual(capabilities, {
		status: 'declared',
		granted: [],
		denied: [],
		unlisted: [...CAPABILITIES],
	});
});

test('unknown keys and non-boolean values are INVALID_CAPABILITY, each reported', () => {
	const result = check({}, '[capabilities]\nnetwrok = true\nnetwork = 1\nconfig_read = "false"\n');
	assert.deepEqual(pairs(result.errors), [
		['INVALID_CAPABILITY', 'capabilities.netwrok'],
		['INVALID_CAPABILITY', 'capabilities.network'],
		['INVALID_CAPABILITY', 'capabilities.config_read'],
	]);
});

test('capabilities that is not a table is INVALID_CAPABILITY', () => {
	assert.deepEqual(pairs(check({ capabilities: '["network"]' }).errors), [
		['INVALID_CAPABILITY', 'capabilities'],
	]);
	assert.deepEqual(pairs(check({ capabilities: 'true' }).errors), [
		['INVALID_CAPABILITY', 'capabilities'],
	]);
});

test('every capability has a description a user can read', () => {
	assert.deepEqual(Object.keys(CAPABILITY_DESCRIPTIONS), [...CAPABILITIES]);
	for (const capability of CAPABILITIES) assert.ok(CAPABILITY_DESCRIPTIONS[capability].length > 20);
});
