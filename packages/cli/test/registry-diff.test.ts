/**
 * `vouch registry diff` end to end: lowering changes first and marked, sanitised text, the JSON
 * document, and exit codes (0 with changes, 1 with --fail-on-lowering when one lowers security).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { runVouch } from './helpers/cli.ts';
import { assertJsonOutput } from './json/schema-check.ts';

const UUID_A = '3713d8f5-72b0-401d-9ec9-3818380bc576';
const UUID_B = '81fd1f5f-f723-498f-a82e-17fb4163c83a';

function entry(id: string, uuid: string, fields: string): string {
	return [
		'[[plugins]]',
		`id = "${id}"`,
		`uuid = "${uuid}"`,
		`name = "${id}"`,
		'description = "d"',
		'categories = ["metadata"]',
		fields,
	].join('\n');
}

function files() {
	const dir = makeTempDir('vouch-cli-diff-');
	const before = join(dir, 'old.toml');
	const after = join(dir, 'new.toml');
	writeFileSync(
		before,
		[
			'api_version = "3.0"',
			entry('alpha', UUID_A, 'git_url = "https://github.com/x/alpha"\ntrust_level = "official"'),
			entry('beta', UUID_B, 'git_url = "https://github.com/x/beta"\ntrust_level = "community"'),
			'[[blacklist]]\nurl = "https://github.com/bad/one"\nreason = "malware"',
		].join('\n\n'),
	);
	writeFileSync(
		after,
		[
			'api_version = "3.0"',
			// The same address spelt differently, then a trust raise and an escape sequence.
			entry(
				'alpha',
				UUID_A,
				'git_url = "HTTPS://GitHub.com/X/alpha.git"\ntrust_level = "official"',
			),
			entry(
				'beta',
				UUID_B,
				'git_url = "https://github.com/x/beta"\ntrust_level = "trusted"\nmaintainers = ["\\u001b[31mred"]',
			),
		].join('\n\n'),
	);
	return { before, after };
}

describe('vouch registry diff', () => {
	it('lists lowering changes first, marked, in sanitised text, and exits 0', async () => {
		const { before, after } = files();
		const run = await runVouch(['registry', 'diff', before, after]);
		assert.equal(run.code, 0, run.stderr);
		const lines = run.stdout.split('\n').filter((line) => line.trim() !== '');
		assert.match(lines[0] ?? '', /^▲ LOWERS SECURITY beta: Trust community → trusted\./);
		assert.match(lines[2] ?? '', /^▲ LOWERS SECURITY blacklist #0: Blacklist entry removed/);
		assert.ok(lines.some((line) => /^ {2}beta: Changed: maintainers/.test(line)));
		assert.doesNotMatch(run.stdout, /alpha/);
		assert.ok(!run.stdout.includes(String.fromCharCode(0x1b)));
		assert.match(run.stdout, /3 change\(s\), 2 lower\(s\) security/);
	});

	it('prints the JSON document and fails with --fail-on-lowering', async () => {
		const { before, after } = files();
		const ok = await runVouch(['registry', 'diff', before, after, '--json']);
		const report = assertJsonOutput(ok, 'registry diff');
		assert.equal(report.loweringCount, 2);
		const changes = report.changes as { kind: string; lowersSecurity: boolean }[];
		assert.deepEqual(
			changes.map((c) => [c.kind, c.lowersSecurity]),
			[
				['trust-changed', true],
				['blacklist-removed', true],
				['metadata-changed', false],
			],
		);
		const failed = await runVouch([
			'registry',
			'diff',
			before,
			after,
			'--json',
			'--fail-on-lowering',
		]);
		assert.equal(failed.code, 1);
		assert.equal(assertJsonOutput(failed, 'registry diff').ok, false);
		const same = await runVouch(['registry', 'diff', before, before, '--fail-on-lowering']);
		assert.equal(same.code, 0);
		assert.match(same.stdout, /No changes\./);
	});

	it('warns when an entry was skipped as malformed, which would read as a removal', async () => {
		const { before } = files();
		const broken = join(makeTempDir('vouch-cli-diff-'), 'broken.toml');
		writeFileSync(
			broken,
			`api_version = "3.0"\n\n${entry('alpha', UUID_A, 'trust_level = "official"')}\n`,
		);
		const run = await runVouch(['registry', 'diff', before, broken, '--json']);
		const report = assertJsonOutput(run, 'registry diff');
		assert.match(String((report.warnings as string[])[0]), /Skipped plugin entry "alpha"/);
	});
});
