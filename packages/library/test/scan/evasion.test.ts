/**
 * Source the host's runtime reads differently from a naive reader: line breaks Python honours
 * but a parser might not, source encodings declared in a coding cookie, identifiers written with
 * look-alike characters or escapes, and file names made of terminal escapes. None of them may
 * make code disappear from the report.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sanitizeText } from '../../src/core/sanitize.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from './support.ts';

function plugin(files: Record<string, string | Buffer>): string {
	const dir = makeTempDir('vouch-scan-evasion-');
	for (const [name, content] of Object.entries(files)) {
		mkdirSync(join(dir, name, '..'), { recursive: true });
		writeFileSync(join(dir, name), content);
	}
	return dir;
}

const rulesAt = (report: Awaited<ReturnType<typeof scan>>, file: string) =>
	report.findings.filter((finding) => finding.file === file).map((f) => `${f.ruleId}:${f.line}`);

test('Python source with bare CR line breaks is read line by line, as Python reads it', async () => {
	const report = await scan(
		plugin({
			'a.py': '# harmless\rimport os\ros.system("id")\r',
			'b.py': 'x = 1\r\nimport os\r\nos.system("id")\r\n',
		}),
	);
	assert.ok(rulesAt(report, 'a.py').includes('process-spawn:3'), rulesAt(report, 'a.py').join());
	assert.ok(rulesAt(report, 'b.py').includes('process-spawn:3'), rulesAt(report, 'b.py').join());
});

test('JavaScript with bare CR line breaks reports the line the code is on', async () => {
	const report = await scan(plugin({ 'a.js': '// c\r\rrequire("child_process").exec(x)\r' }));
	assert.ok(rulesAt(report, 'a.js').includes('process-shell:3'), rulesAt(report, 'a.js').join());
});

test('a Python coding cookie the scanner cannot decode (UTF-7) makes the file unscanned, not clean', async () => {
	const hidden = '# -*- coding: utf-7 -*-\n# note +AAo-import os+AAo-os.system(+ACc-id+ACc-)\n';
	const report = await scan(
		plugin({ 'a.py': hidden, 'b.py': '#!/usr/bin/python\n# vim: set fileencoding=utf_7 :\n' }),
	);
	assert.deepEqual(
		report.skipped.map((skipped) => `${skipped.file}:${skipped.reason}`),
		['a.py:encoding', 'b.py:encoding'],
	);
	assert.ok(report.findings.some((f) => f.ruleId === 'unscanned-file' && f.file === 'a.py'));
	assert.equal(report.files.scanned, 0);
});

test('a Python coding cookie for a single-byte encoding is decoded with it; UTF-8 spellings are UTF-8', async () => {
	const latin = Buffer.concat([
		Buffer.from('# -*- coding: latin-1 -*-\nname = "caf'),
		Buffer.from([0xe9]),
		Buffer.from('"\nimport os\nos.system(name + "caf'),
		Buffer.from([0xe9]),
		Buffer.from('")\n'),
	]);
	const report = await scan(
		plugin({
			'latin.py': latin,
			'utf.py': '# coding=UTF_8\nimport os\nos.system("id")\n',
			'second.py': '#!/usr/bin/env python\n# coding: utf8\nimport os\nos.system("id")\n',
			'third.py': 'x = 1\n# coding: utf-7\nimport os\nos.system("id")\n',
		}),
	);
	assert.deepEqual(report.skipped, []);
	for (const [file, line] of [
		['latin.py', 4],
		['utf.py', 3],
		['second.py', 4],
		['third.py', 4],
	] as const) {
		assert.ok(
			rulesAt(report, file).includes(`process-shell:${line}`) ||
				rulesAt(report, file).includes(`process-spawn:${line}`),
			`${file}: ${rulesAt(report, file).join()}`,
		);
	}
	const call = report.findings.find((f) => f.file === 'latin.py' && f.line === 4);
	assert.equal(call?.snippet, 'os.system(name + "caf\u00e9")');
});

test('Python identifiers in compatibility forms (NFKC) are reported as obfuscation', async () => {
	const report = await scan(
		plugin({
			'a.py': 'import \uff4f\uff53\n\uff4f\uff53.\uff53\uff59\uff53\uff54\uff45\uff4d("id")\n',
			'ok.py': 'gr\u00f6\u00dfe = "\uff4f\uff53"  # \uff45\uff58\uff45\uff43\n',
		}),
	);
	const hits = report.findings.filter((f) => f.ruleId === 'obfuscation-identifier');
	assert.deepEqual(
		hits.map((f) => `${f.file}:${f.line}:${f.severity}`),
		['a.py:1:high', 'a.py:2:high', 'a.py:2:high'],
	);
});

test('JavaScript identifiers written with \\u escapes are reported as obfuscation', async () => {
	const report = await scan(
		plugin({
			'a.js': 'const cp = \\u0072equire("child_process");\ncp.exec(x);\n',
			'ok.js': 'const s = "\\u0072equire"; // \\u0065val\n',
		}),
	);
	const hits = report.findings.filter((f) => f.ruleId === 'obfuscation-identifier');
	assert.deepEqual(
		hits.map((f) => `${f.file}:${f.line}:${f.severity}`),
		['a.js:1:high'],
	);
});

test('file names in findings are sanitised, whatever kind of file they name', async () => {
	const evil = 'x\u001b[2J\u202e\u009b31m';
	const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
	const report = await scan(
		plugin({ [`${evil}.so`]: elf, [`${evil}.py`]: 'import os\nos.system("id")\n' }),
	);
	const files = report.findings.map((finding) => finding.file ?? '');
	assert.ok(files.length >= 2);
	for (const file of files) assert.equal(file, sanitizeText(file), JSON.stringify(file));
	assert.ok(report.findings.some((f) => f.ruleId === 'native-binary'));
	assert.ok(report.findings.some((f) => f.ruleId === 'process-spawn'));
	for (const ref of Object.values(report.capabilities.evidence).flat()) {
		assert.equal(ref?.file, sanitizeText(ref?.file));
	}
});

test('a module reached through import(...).then(callback) resolves, in JS and in TS', async () => {
	const js = "import('child_process').then((c) => {\n  c.spawn(tool, []);\n});\n";
	const ts =
		"import('node:child_process').then(({ spawnSync }: { spawnSync: Function }) => {\n  spawnSync(tool, []);\n});\n";
	const report = await scan(plugin({ 'a.js': js, 'b.ts': ts }));
	assert.ok(rulesAt(report, 'a.js').includes('process-spawn:2'), rulesAt(report, 'a.js').join());
	assert.ok(rulesAt(report, 'b.ts').includes('process-spawn:2'), rulesAt(report, 'b.ts').join());
});
