/**
 * Hidden paths to a capability, tried as an attacker would: names built at run time, callables
 * handed around as values, values carried through defaults, containers, attributes and the
 * file's own functions, and loaders that no import statement names. Each must end in a
 * high-severity finding, and the capability behind it must still be inferred.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../helpers/temp.ts';
import { scan } from './support.ts';

function plugin(files: Record<string, string>): string {
	const dir = makeTempDir('vouch-scan-hidden-');
	for (const [name, content] of Object.entries(files)) {
		mkdirSync(join(dir, name, '..'), { recursive: true });
		writeFileSync(join(dir, name), content);
	}
	return dir;
}

type Report = Awaited<ReturnType<typeof scan>>;

const at = (report: Report, file: string, line: number) =>
	report.findings.filter((f) => f.file === file && f.line === line);

function highAt(report: Report, file: string, line: number): string[] {
	return at(report, file, line)
		.filter((f) => f.severity === 'high')
		.map((f) => f.ruleId);
}

test('a Python name built at run time and used to reach os is high, and the finding names it', async () => {
	const report = await scan(
		plugin({
			'a.py': [
				'import os, codecs, base64',
				'def f():',
				'    name = codecs.decode("flfgrz", "rot13")',
				'    getattr(os, name)("id")',
				'    getattr(os, base64.b85decode(b"d2Np").decode())',
				'    return vars(os)["sys" + "tem"]',
			].join('\n'),
		}),
	);
	assert.ok(highAt(report, 'a.py', 4).includes('hidden-lookup'));
	assert.ok(at(report, 'a.py', 4).some((f) => /'system'/.test(f.message)));
	assert.ok(highAt(report, 'a.py', 5).includes('hidden-lookup'));
	assert.ok(highAt(report, 'a.py', 6).includes('hidden-lookup'));
});

test('a JavaScript name reversed or decoded into a lookup on any object is high', async () => {
	const report = await scan(
		plugin({
			'a.js': [
				"const k = 'lave'.split('').reverse().join('');",
				'const g = Function("return this")();',
				'g[k]("1");',
				"g[atob('ZXZhbA==')]('1');",
				// A template literal whose only field is a literal.
				`g[\`\${"ev"}al\`]("1");`,
			].join('\n'),
		}),
	);
	assert.ok(highAt(report, 'a.js', 3).includes('hidden-name'));
	assert.ok(at(report, 'a.js', 3).some((f) => /'eval'/.test(f.message)));
	assert.ok(highAt(report, 'a.js', 4).includes('hidden-name'));
	assert.ok(highAt(report, 'a.js', 5).includes('hidden-name'));
});

test('a dangerous callable passed as a value is high, and still shows the capability it reaches', async () => {
	const report = await scan(
		plugin({
			'a.py': ['import os, atexit', 'def later():', '    atexit.register(os.system, "id")'].join(
				'\n',
			),
		}),
	);
	assert.ok(highAt(report, 'a.py', 3).includes('hidden-callable'));
	assert.ok(report.capabilities.inferred.includes('subprocess'));
});

test('values are followed through defaults, containers, attributes and the file’s own functions', async () => {
	const report = await scan(
		plugin({
			'a.py': [
				'import os',
				'TABLE = {"r": os.system}',
				'def a(c, run=os.popen):',
				'    run(c)',
				'def b(c):',
				'    TABLE["r"](c)',
				'class K:',
				'    def __init__(self):',
				'        self.go = os.system',
				'    def c(self, cmd):',
				'        self.go(cmd)',
				'def apply(fn, arg):',
				'    return fn(arg)',
				'def d(cmd):',
				'    return apply(os.system, cmd)',
			].join('\n'),
		}),
	);
	for (const line of [4, 6, 11, 13]) {
		assert.ok(
			at(report, 'a.py', line).some((f) => f.ruleId.startsWith('process-')),
			`line ${line}: ${at(report, 'a.py', line)
				.map((f) => f.ruleId)
				.join()}`,
		);
	}
});

test('a module reached through process.getBuiltinModule or createRequire still resolves', async () => {
	const report = await scan(
		plugin({
			'a.mjs': [
				"import { createRequire } from 'node:module';",
				'const req = createRequire(import.meta.url);',
				"req('child_process').execSync('id');",
				"process.getBuiltinModule('child_process').execSync('id');",
			].join('\n'),
		}),
	);
	assert.ok(at(report, 'a.mjs', 3).some((f) => f.ruleId === 'process-spawn'));
	assert.ok(at(report, 'a.mjs', 4).some((f) => f.ruleId === 'process-spawn'));
	assert.ok(highAt(report, 'a.mjs', 4).includes('hidden-loader'));
});

test('a callable only stored at module level is not an import-time effect; one passed to a call is', async () => {
	const report = await scan(
		plugin({
			'a.py': ['import os', 'TABLE = [os.system]', 'list(map(os.system, ["id"]))'].join('\n'),
		}),
	);
	assert.ok(!at(report, 'a.py', 2).some((f) => f.ruleId === 'import-time-side-effect'));
	assert.ok(at(report, 'a.py', 3).some((f) => f.ruleId === 'import-time-side-effect'));
});

test('a long chain of string pieces is judged without blowing up, and still folded', async () => {
	const pieces = Array.from({ length: 3000 }, () => '"a"').join(' + ');
	const report = await scan(
		plugin({
			'a.py': `import os\ndef f():\n    getattr(os, ${pieces})\n    getattr(os, "sys" + "tem")\n`,
		}),
	);
	assert.ok(highAt(report, 'a.py', 3).includes('hidden-lookup'));
	assert.ok(at(report, 'a.py', 4).some((f) => /'system'/.test(f.message)));
});

test('honest look-alikes stay free of hidden-path findings', async () => {
	const report = await scan(
		plugin({
			'a.py': [
				'import functools, os',
				'class V:',
				'    def visit(self, node, settings, key):',
				'        getattr(settings, key)',
				'        functools.partial(print, "x")',
				'        ", ".join(["a", "b"])',
				'        return getattr(self, "visit_" + node.kind)(node)',
			].join('\n'),
			'b.js': [
				'class P { clone() { return new this.constructor(); } }',
				'const data = { a: 1 };',
				'function get(key) { return [data[key], this.constructor.name, process.env[key]]; }',
				'module.exports = { P, get };',
			].join('\n'),
		}),
	);
	const hidden = report.findings.filter((f) => /^(?:hidden-|function-constructor)/.test(f.ruleId));
	assert.deepEqual(
		hidden.map((f) => `${f.file}:${f.line} ${f.ruleId}`),
		[],
	);
});

test('names decoded by a helper function of the file, or spelt with escapes, are disguised', async () => {
	const report = await scan(
		plugin({
			'a.py': [
				'import codecs',
				'def _n(s):',
				'    return codecs.decode(s, "rot13")',
				'def f(obj):',
				'    getattr(obj, _n("flfgrz"))',
				'    return __import__("\\x6f\\N{LATIN SMALL LETTER S}")',
			].join('\n'),
		}),
	);
	assert.ok(highAt(report, 'a.py', 5).includes('hidden-name'));
	assert.ok(highAt(report, 'a.py', 6).includes('hidden-name'));
	assert.ok(at(report, 'a.py', 6).some((f) => /'os'/.test(f.message)));
});

test('an alias of eval bound far from where it is passed on is still followed', async () => {
	const filler = '// an honest comment line to push the use far away\n'.repeat(40);
	const report = await scan(
		plugin({ 'a.js': `const indirect = (0, eval);\n${filler}fetch(u).then(indirect);\n` }),
	);
	assert.ok(highAt(report, 'a.js', 42).includes('hidden-callable'));
});
