/**
 * Declared capabilities (D20) checked against the code: undeclared use is a finding of its
 * own, placed where the code uses it; `= false` then used is worse; a missing table means
 * "undeclared"; declared but unused is information.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, scan } from './support.ts';

const dir = (name: string) => join(FIXTURES, 'capabilities', name);

test('declarations that match the code raise no capability finding', async () => {
	const report = await scan(dir('declared-match'));
	assert.equal(report.manifest.status, 'valid');
	assert.equal(report.capabilities.status, 'declared');
	assert.deepEqual(report.capabilities.declared, ['network', 'config_read']);
	assert.deepEqual(report.capabilities.inferred, ['network', 'config_read']);
	assert.deepEqual(report.capabilities.undeclared, []);
	assert.deepEqual(report.capabilities.unused, []);
	assert.equal(report.findings.filter((f) => f.category === 'capabilities').length, 0);
	assert.equal(report.capabilities.evidence.network?.[0]?.file, '__init__.py');
});

test('each undeclared sensitive capability is its own high finding, at the first place the code reaches it', async () => {
	const report = await scan(dir('undeclared-used'));
	assert.deepEqual(report.capabilities.undeclared, ['filesystem_write', 'subprocess']);
	const undeclared = report.findings.filter((f) => f.ruleId === 'undeclared-sensitive');
	// `import subprocess` (line 1) reaches the capability before the call on line 13 does.
	assert.deepEqual(undeclared.map((f) => [f.capability, f.file, f.line]).sort(), [
		['filesystem_write', '__init__.py', 11],
		['subprocess', '__init__.py', 1],
	]);
	assert.ok(undeclared.every((f) => f.severity === 'high'));
	// Not said twice: the medium D20 finding is left to capabilities that are not sensitive.
	assert.equal(report.findings.filter((f) => f.ruleId === 'capability-undeclared').length, 0);
});

test('an undeclared capability that is not sensitive stays a medium finding', async () => {
	const report = await scan(dir('declared-match'), {
		capabilities: { status: 'declared', granted: ['network'], denied: [], unlisted: [] },
	});
	const undeclared = report.findings.filter(
		(f) => f.category === 'capabilities' && f.severity !== 'info',
	);
	assert.deepEqual(
		undeclared.map((f) => [f.ruleId, f.capability, f.severity]),
		[['capability-undeclared', 'config_read', 'medium']],
	);
});

test('a capability declared false but used is a high-severity finding', async () => {
	const report = await scan(dir('denied-used'));
	assert.deepEqual(report.capabilities.denied, ['network', 'subprocess']);
	const denied = report.findings.filter((f) => f.ruleId === 'capability-denied-used');
	assert.equal(denied.length, 1);
	assert.equal(denied[0]?.capability, 'subprocess');
	assert.equal(denied[0]?.severity, 'high');
	assert.match(denied[0]?.message ?? '', /subprocess = false/);
});

test('a manifest without [capabilities] is "undeclared", and everything used is undeclared', async () => {
	const report = await scan(dir('missing-table'));
	assert.equal(report.capabilities.status, 'undeclared');
	assert.deepEqual(report.capabilities.undeclared, ['network']);
	const missing = report.findings.filter((f) => f.ruleId === 'capabilities-missing');
	assert.equal(missing.length, 1);
	assert.match(missing[0]?.message ?? '', /no \[capabilities\] table.*network/);
	assert.equal(missing[0]?.file, 'MANIFEST.toml');
});

test('declared but never used is reported as information', async () => {
	const report = await scan(dir('unused'));
	assert.deepEqual(report.capabilities.unused, ['native_code']);
	const unused = report.findings.filter((f) => f.ruleId === 'capability-unused');
	assert.deepEqual(
		unused.map((f) => [f.severity, f.file]),
		[['info', 'MANIFEST.toml']],
	);
});

test('no manifest, or an invalid one, declares nothing', async () => {
	const none = await scan(dir('no-manifest'));
	assert.equal(none.manifest.status, 'missing');
	assert.equal(none.capabilities.status, 'no-manifest');
	assert.deepEqual(none.capabilities.undeclared, ['subprocess']);
	const invalid = await scan(dir('invalid-manifest'));
	assert.equal(invalid.manifest.status, 'invalid');
	assert.equal(invalid.capabilities.status, 'no-manifest');
});

test('a declaration passed by the caller is used instead of reading MANIFEST.toml', async () => {
	const report = await scan(dir('no-manifest'), {
		capabilities: { status: 'declared', granted: ['subprocess'], denied: [], unlisted: [] },
	});
	assert.deepEqual(report.capabilities.undeclared, []);
	assert.deepEqual(report.capabilities.declared, ['subprocess']);
});

test('a Picard-style plugin that declares what it does has no high or medium finding', async () => {
	const report = await scan(join(FIXTURES, 'benign', 'picard-plugin'));
	const serious = report.findings.filter((f) => f.severity === 'high' || f.severity === 'medium');
	assert.deepEqual(
		serious.map((f) => `${f.ruleId} ${f.file}:${f.line}`),
		[],
	);
	assert.deepEqual(report.capabilities.undeclared, []);
	assert.deepEqual(report.capabilities.inferred, ['network', 'config_read']);
	assert.equal(report.files.scanned, 3);
});
