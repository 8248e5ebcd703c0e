/**
 * Files judged by type: native binaries by magic number whatever their name, compiled
 * bytecode, unknown binary blobs; media and text are fine; extensionless scripts are scanned.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from './support.ts';

const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const PE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62), Buffer.from('PE\0\0')]);
const MACHO = Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, 3, 0, 0, 0]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
const PYC = Buffer.from([0xa7, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0]);
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0]);
const RANDOM = Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 7919) % 256));

test('native executables are found by content, even when named like data', async () => {
	const dir = makeTempDir('vouch-scan-files-');
	writeFileSync(join(dir, 'helper.so'), ELF);
	writeFileSync(join(dir, 'icon.png'), ELF);
	writeFileSync(join(dir, 'tool.exe'), PE);
	writeFileSync(join(dir, 'lib.dylib'), MACHO);
	writeFileSync(join(dir, 'addon.node'), Buffer.from('not really a binary'));
	const report = await scan(dir);
	const native = report.findings
		.filter((f) => f.ruleId === 'native-binary')
		.map((f) => f.file)
		.sort();
	assert.deepEqual(native, ['addon.node', 'helper.so', 'icon.png', 'lib.dylib', 'tool.exe']);
	assert.ok(report.findings.every((f) => f.ruleId !== 'native-binary' || f.severity === 'high'));
	assert.deepEqual(report.capabilities.inferred, ['native_code']);
});

test('compiled bytecode and unknown binaries are reported; media and text are not', async () => {
	const dir = makeTempDir('vouch-scan-files-');
	writeFileSync(join(dir, 'module.cpython-311.pyc'), PYC);
	writeFileSync(join(dir, 'engine.wasm'), WASM);
	writeFileSync(join(dir, 'blob.dat'), RANDOM);
	writeFileSync(join(dir, 'logo.png'), PNG);
	writeFileSync(join(dir, 'README.md'), '# Plugin\n');
	writeFileSync(join(dir, 'MZ-notes.txt'), 'MZ is not a binary when it is text.\n');
	// Python imports from a zip on its path whatever the file is called.
	writeFileSync(
		join(dir, 'assets.bin'),
		Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), RANDOM]),
	);
	const report = await scan(dir);
	const byFile = Object.fromEntries(
		report.findings.filter((f) => f.file !== 'MANIFEST.toml').map((f) => [f.file, f.ruleId]),
	);
	assert.deepEqual(byFile, {
		'module.cpython-311.pyc': 'bytecode-file',
		'engine.wasm': 'bytecode-file',
		'blob.dat': 'binary-file',
		'assets.bin': 'bytecode-file',
	});
	assert.equal(report.files.other, 7);
	const severities = new Set(
		report.findings.filter((f) => f.ruleId === 'bytecode-file').map((f) => f.severity),
	);
	assert.deepEqual([...severities], ['high'], 'unreadable code asks for the install gate');
});

test('an extensionless script with a Python or Node shebang is scanned as code', async () => {
	const dir = makeTempDir('vouch-scan-files-');
	writeFileSync(join(dir, 'run'), '#!/usr/bin/env python3\nimport os\nos.system(cmd)\n');
	writeFileSync(join(dir, 'tool'), '#!/usr/bin/env node\nrequire("child_process").exec(cmd);\n');
	const report = await scan(dir);
	assert.equal(report.files.scanned, 2);
	assert.deepEqual(report.files.byLanguage, { python: 1, javascript: 1 });
	assert.equal(report.findings.filter((f) => f.ruleId === 'process-shell').length, 2);
});

test('file names and code lines with control characters never reach the report raw', async () => {
	const dir = makeTempDir('vouch-scan-files-');
	writeFileSync(
		join(dir, 'plugin\u001b[31m\u202e.py'),
		'import os\nos.system("ls " + x)  # \u001b[31mred\u202e\n',
	);
	const report = await scan(dir);
	const finding = report.findings.find((f) => f.ruleId === 'process-shell');
	assert.ok(finding?.snippet !== undefined);
	assert.ok(!finding.snippet.includes('\u001b') && !finding.snippet.includes('\u202e'));
	assert.match(finding.snippet, /os\.system/);
	// The override is marked where it stood: the name cannot read as another.
	assert.equal(finding.file, 'plugin\ufffd.py');
});

test('only the root .git is passed over: code in .hg, .svn or a nested .git is scanned', async () => {
	const dir = makeTempDir('vouch-scan-files-');
	const payload = 'import os\nos.system("sh -c " + cmd)\n';
	for (const hidden of ['.git', '.hg', '.svn', 'lib/.git']) {
		mkdirSync(join(dir, hidden), { recursive: true });
		writeFileSync(join(dir, hidden, 'payload.py'), payload);
	}
	const report = await scan(dir);
	const files = report.findings
		.filter((finding) => finding.ruleId === 'process-shell')
		.map((finding) => finding.file)
		.sort();
	assert.deepEqual(files, ['.hg/payload.py', '.svn/payload.py', 'lib/.git/payload.py']);
});

test('a __pycache__ file Python checks against its source is only low; an unchecked one is high', async () => {
	const dir = makeTempDir('vouch-scan-files-');
	writeFileSync(join(dir, 'mod.py'), 'x = 1\n');
	// Real caches from python3: the default (timestamp), and the two hash-based kinds (PEP 552).
	const compile = (mode: string, out: string) =>
		execFileSync(
			'python3',
			[
				'-c',
				`import py_compile; py_compile.compile('mod.py', cfile='${out}', invalidation_mode=py_compile.PycInvalidationMode.${mode})`,
			],
			{ cwd: dir },
		);
	compile('TIMESTAMP', '__pycache__/mod.cpython-3.pyc');
	compile('CHECKED_HASH', '__pycache__/checked.cpython-3.pyc');
	compile('UNCHECKED_HASH', '__pycache__/unchecked.cpython-3.pyc');
	// Outside __pycache__ Python imports a .pyc with no source at all.
	compile('TIMESTAMP', 'sourceless.pyc');
	const report = await scan(dir);
	const ruleOf = (file: string) =>
		report.findings.find((finding) => finding.file === file)?.ruleId ?? 'none';
	assert.equal(ruleOf('__pycache__/mod.cpython-3.pyc'), 'bytecode-cache');
	assert.equal(ruleOf('__pycache__/checked.cpython-3.pyc'), 'bytecode-cache');
	assert.equal(ruleOf('__pycache__/unchecked.cpython-3.pyc'), 'bytecode-file');
	assert.equal(ruleOf('sourceless.pyc'), 'bytecode-file');
});
