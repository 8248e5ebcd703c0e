/**
 * The install gate treats whatever could not be scanned like a high-severity finding (D21):
 * files the bounds kept out, an encoding the scanner does not read, a link leading out of the
 * plugin, a load from a file the scanner cannot determine. Each case is scanned for real and
 * then put to the gate without a terminal, where only `--accept-findings` passes.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { NON_INTERACTIVE, SILENT_REPORTER } from '../../src/lifecycle/prompter.ts';
import { reviewScan } from '../../src/lifecycle/scan-gate.ts';
import type { ScanLimits } from '../../src/scan/index.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from '../scan/support.ts';

function plugin(files: Record<string, string>): string {
	const dir = makeTempDir('vouch-gate-coverage-');
	for (const [name, content] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, name)), { recursive: true });
		writeFileSync(join(dir, name), content);
	}
	return dir;
}

async function gate(dir: string, limits: Partial<ScanLimits> = {}): Promise<unknown> {
	const report = await scan(dir, { limits });
	const request = {
		outcome: { report },
		trust: 'community' as const,
		pluginName: 'sample',
		action: 'install',
	};
	const deps = { prompter: NON_INTERACTIVE, reporter: SILENT_REPORTER };
	await reviewScan({ ...request, acceptFindings: true }, deps);
	return reviewScan({ ...request, acceptFindings: false }, deps).then(
		() => 'passed',
		(error: { code?: string }) => error.code,
	);
}

const CLEAN = { '__init__.py': 'def enable(api):\n    return api\n' };

test('clean code passes the gate, so the cases below fail for their own reason', async () => {
	assert.equal(await gate(plugin(CLEAN)), 'passed');
});

test('a file over a bound counts as high', async () => {
	const dir = plugin({ ...CLEAN, 'big.py': `X = "${'x'.repeat(200)}"\n` });
	assert.equal(await gate(dir, { maxFileBytes: 100 }), 'FINDINGS_NOT_ACCEPTED');
});

test('a source encoding the scanner does not decode counts as high', async () => {
	const dir = plugin({ ...CLEAN, 'odd.py': '# -*- coding: utf-7 -*-\nX = 1\n' });
	assert.equal(await gate(dir), 'FINDINGS_NOT_ACCEPTED');
});

test('a link leading out of the plugin counts as high', async () => {
	const dir = plugin(CLEAN);
	symlinkSync('/etc/hostname', join(dir, 'host.py'));
	assert.equal(await gate(dir), 'FINDINGS_NOT_ACCEPTED');
});

test('a link to a file inside the plugin is scanned, not counted', async () => {
	const dir = plugin({ ...CLEAN, 'lib/helper.txt': 'VALUE = 1\n' });
	symlinkSync('lib/helper.txt', join(dir, 'helper.py'));
	assert.equal(await gate(dir), 'passed');
});

test('code loaded from a file the scanner cannot determine counts as high', async () => {
	const dir = plugin({
		'__init__.py': 'def enable(api):\n    exec(open(api.folder + "/x.dat").read())\n',
	});
	assert.equal(await gate(dir), 'FINDINGS_NOT_ACCEPTED');
});
