import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { runVouch } from './helpers/cli.ts';

test('--help exits 0 and lists the commands', async () => {
	const run = await runVouch(['--help']);
	assert.equal(run.code, 0);
	for (const command of ['validate', 'registry', 'check-blacklist', 'browse', 'search', 'info']) {
		assert.match(run.stdout, new RegExp(`\\b${command}\\b`));
	}
});

test('an unknown command or option is a usage error (exit 2)', async () => {
	assert.equal((await runVouch(['frobnicate'])).code, 2);
	assert.equal((await runVouch(['browse', '--no-such-option'])).code, 2);
});

test('about explains Vouch', async () => {
	const run = await runVouch(['about']);
	assert.equal(run.code, 0);
	assert.match(run.stdout, /trust levels/);
});

test('the package bin runs through npx-style invocation', () => {
	const bin = new URL('../bin/vouch.js', import.meta.url).pathname;
	const out = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
	assert.match(out, /Usage: vouch/);
});

test('an unknown profile is a clear error with a hint', async () => {
	const run = await runVouch(['browse', '--profile', 'no-such-profile', '--registry', '/x']);
	assert.equal(run.code, 1);
	assert.match(run.stderr, /hint:/);
});

test('the bin of a clone that was never built says to build, without a stack trace', () => {
	const dir = makeTempDir('vouch-unbuilt-');
	mkdirSync(join(dir, 'bin'));
	const bin = join(dir, 'bin', 'vouch.js');
	copyFileSync(new URL('../bin/vouch.js', import.meta.url), bin);
	const run = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
	assert.equal(run.status, 1);
	assert.match(run.stderr, /hint: .*npm run build/);
	assert.doesNotMatch(run.stderr, /\n\s+at /);
});
