/**
 * Reach inference per capability class: a function handed along as a value (to map, atexit, a
 * container, .bind, a default argument) or a module imported for its one job reaches the
 * capability as much as a call does, and undeclared it is high. Each class has a sample that
 * reaches it without calling it, and a look-alike that does not reach it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plugin, undeclaredHigh } from './reach-support.ts';
import { scan } from './support.ts';

const CASES: {
	name: string;
	reach: string;
	positive: Record<string, string>;
	negative: Record<string, string>;
}[] = [
	{
		name: 'network, by fetch handed to map (JS)',
		reach: 'the network outside the host’s API',
		positive: { 'index.js': 'export const load = (urls) => Promise.all(urls.map(fetch));\n' },
		negative: {
			'index.js': 'const tidy = (u) => u.trim();\nexport const load = (urls) => urls.map(tidy);\n',
		},
	},
	{
		name: 'network, by a module whose only job it is (Python)',
		reach: 'the network outside the host’s API',
		positive: { '__init__.py': 'import ftplib as f\n\nCLIENTS = {"ftp": f.FTP}\n' },
		negative: { '__init__.py': 'import string as f\n\nCLIENTS = {"ftp": f.Template}\n' },
	},
	{
		name: 'processes, by os.system registered with atexit',
		reach: 'starting programs',
		positive: {
			'__init__.py':
				'import atexit, os\n\ndef enable(api, cmd):\n    atexit.register(os.system, cmd)\n',
		},
		negative: {
			'__init__.py':
				'import atexit, os\n\ndef enable(api, p):\n    atexit.register(os.path.exists, p)\n',
		},
	},
	{
		name: 'processes, by child_process.exec bound for later (JS)',
		reach: 'starting programs',
		positive: {
			'index.js':
				"const cp = require('child_process');\nexport const later = cp.exec.bind(null, 'id');\n",
		},
		negative: {
			'index.js': "const p = require('path');\nexport const later = p.join.bind(null, 'id');\n",
		},
	},
	{
		name: 'file writes, by os.remove handed to map',
		reach: 'writing files outside its data directory',
		positive: {
			'__init__.py': 'import os\n\ndef clean(paths):\n    list(map(os.remove, paths))\n',
		},
		negative: {
			'__init__.py': 'import os\n\ndef clean(paths):\n    list(map(os.path.basename, paths))\n',
		},
	},
	{
		name: 'native code, by process.dlopen bound (JS)',
		reach: 'native code',
		positive: { 'index.js': 'export const load = process.dlopen.bind(process);\n' },
		negative: { 'index.js': 'export const where = process.cwd.bind(process);\n' },
	},
	{
		name: 'dynamic code, by exec kept in a table',
		reach: 'running code built or loaded at run time',
		positive: { '__init__.py': 'HANDLERS = {"run": exec, "show": print}\n' },
		negative: { '__init__.py': 'HANDLERS = {"run": print, "show": print}\n' },
	},
	{
		name: 'dynamic code, by pickle.loads as a default argument',
		reach: 'running code built or loaded at run time',
		positive: {
			'__init__.py':
				'import pickle\n\ndef restore(blob, load=pickle.loads):\n    return load(blob)\n',
		},
		negative: {
			'__init__.py': 'import json\n\ndef restore(blob, load=json.loads):\n    return load(blob)\n',
		},
	},
	{
		name: 'secrets, by the password store function kept in a list',
		reach: 'secrets and credential stores',
		positive: { '__init__.py': 'import keyring\n\nGETTERS = [keyring.get_password]\n' },
		negative: { '__init__.py': 'import textwrap\n\nGETTERS = [textwrap.dedent]\n' },
	},
	{
		name: 'secrets, by the whole environment',
		reach: 'secrets and credential stores',
		positive: {
			'__init__.py': 'import os, json\n\ndef dump():\n    return json.dumps(dict(os.environ))\n',
		},
		negative: { '__init__.py': 'import os\n\ndef home():\n    return os.environ.get("HOME")\n' },
	},
	{
		name: 'the host’s settings, changed',
		reach: 'changing the host’s settings',
		positive: {
			'__init__.py':
				'from picard import config\n\ndef save(v):\n    config.setting["my_option"] = v\n',
		},
		negative: {
			'__init__.py':
				'from picard import config\n\ndef load():\n    return config.setting["my_option"]\n',
		},
	},
	{
		name: 'processes, by a module re-exported from child_process (JS)',
		reach: 'starting programs',
		positive: { 'util.js': "export { execSync as buildIndex } from 'node:child_process';\n" },
		negative: { 'util.js': "export { join as buildIndex } from 'node:path';\n" },
	},
	{
		name: 'processes, by process.execve (JS)',
		reach: 'starting programs',
		positive: {
			'index.js': "export function restart(args) {\n  process.execve('/bin/sh', args, {});\n}\n",
		},
		negative: { 'index.js': 'export function restart() {\n  process.exitCode = 1;\n}\n' },
	},
	{
		name: 'dynamic code, by an unsafe YAML loader handed to yaml.load',
		reach: 'running code built or loaded at run time',
		positive: {
			'__init__.py':
				'import yaml\n\ndef read(fh):\n    return yaml.load(fh, Loader=yaml.UnsafeLoader)\n',
		},
		negative: {
			'__init__.py':
				'import yaml\n\ndef read(fh):\n    return yaml.load(fh, Loader=yaml.SafeLoader)\n',
		},
	},
	{
		name: 'dynamic code, by timeit running a string of source',
		reach: 'running code built or loaded at run time',
		positive: {
			'__init__.py':
				'import timeit\n\ndef enable(api, src):\n    timeit.timeit(stmt=src, number=1)\n',
		},
		negative: {
			'__init__.py': 'import time\n\ndef enable(api, src):\n    return time.monotonic()\n',
		},
	},
	{
		name: 'dynamic code, by a profiler or debugger running source text',
		reach: 'running code built or loaded at run time',
		positive: {
			'__init__.py':
				'import cProfile, pdb\n\ndef enable(api, src):\n    cProfile.run(src)\n    pdb.run(src)\n',
		},
		negative: {
			'__init__.py': 'import logging\n\ndef enable(api, src):\n    logging.debug(src)\n',
		},
	},
	{
		name: 'dynamic code, by doctest running a docstring’s examples',
		reach: 'running code built or loaded at run time',
		positive: {
			'__init__.py':
				'import doctest\n\ndef _e():\n    """>>> 1"""\n\ndef enable(api):\n    doctest.run_docstring_examples(_e, {})\n',
		},
		negative: {
			'__init__.py':
				'import inspect\n\ndef _e():\n    """>>> 1"""\n\ndef enable(api):\n    inspect.getdoc(_e)\n',
		},
	},
	{
		name: 'dynamic code, by a dotted name or a file imported through pkgutil or pydoc',
		reach: 'running code built or loaded at run time',
		positive: {
			'__init__.py':
				'import pkgutil, pydoc\n\ndef enable(api, n, p):\n    pkgutil.resolve_name(n)\n    pydoc.locate(n)\n    pydoc.importfile(p)\n',
		},
		negative: {
			'__init__.py':
				'import pkgutil\n\ndef enable(api, p):\n    return pkgutil.get_data(__name__, p)\n',
		},
	},
	{
		name: 'dynamic code, by exec looked up with sys.modules.get and getattr',
		reach: 'running code built or loaded at run time',
		positive: {
			'__init__.py':
				'import sys\n\ndef enable(api, src):\n    mod = sys.modules.get("builtins")\n    getattr(mod, "exec")(src)\n',
		},
		negative: {
			'__init__.py':
				'import sys\n\ndef enable(api, src):\n    mod = sys.modules.get("json")\n    getattr(mod, "dumps")(src)\n',
		},
	},
	{
		name: 'processes, by os.system looked up with vars(os).get',
		reach: 'starting programs',
		positive: {
			'__init__.py': 'import os\n\ndef enable(api, cmd):\n    os.__dict__.get("system")(cmd)\n',
		},
		negative: {
			'__init__.py': 'import os\n\ndef enable(api, p, table):\n    table.get("system")(p)\n',
		},
	},
	{
		name: 'dynamic code, by a loader for required files (JS)',
		reach: 'running code built or loaded at run time',
		positive: {
			'index.js':
				"const fs = require('fs');\nrequire.extensions['.txt'] = (m, f) => m._compile(fs.readFileSync(f, 'utf8'), f);\n",
		},
		negative: { 'index.js': "const extensions = ['.txt'];\nmodule.exports = { extensions };\n" },
	},
	{
		name: 'secrets, by a password manager’s store',
		reach: 'secrets and credential stores',
		positive: { '__init__.py': 'import os\n\nSTORE = os.path.expanduser("~/.password-store")\n' },
		negative: { '__init__.py': 'import os\n\nSTORE = os.path.expanduser("~/Music")\n' },
	},
];

for (const sample of CASES) {
	test(`reach by reference: ${sample.name}; undeclared, it is high`, async () => {
		const positive = await scan(plugin(sample.positive));
		assert.ok(
			undeclaredHigh(positive).includes(sample.reach),
			`${undeclaredHigh(positive).join('; ')} | ${positive.findings.map((f) => f.ruleId).join()}`,
		);
		const negative = await scan(plugin(sample.negative));
		assert.ok(
			!undeclaredHigh(negative).includes(sample.reach),
			undeclaredHigh(negative).join('; '),
		);
		assert.equal(negative.summary.high, 0, negative.findings.map((f) => f.message).join('; '));
	});
}

test('network through the host’s web service is not network outside the host API', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'def lookup(api, mbid, done):\n    api.web_service.get("musicbrainz.org", 443, f"/ws/2/artist/{mbid}", done)\n',
		}),
	);
	assert.deepEqual(undeclaredHigh(report), []);
	assert.equal(report.summary.high, 0);
	assert.deepEqual(report.capabilities.inferred, ['network']);
	assert.match(
		report.findings.find((f) => f.ruleId === 'capabilities-missing')?.message ?? '',
		/network/,
	);
});

test('Qt networking used directly, beside the host API, is network outside it', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'from PyQt6.QtNetwork import QNetworkAccessManager\n\nclass P:\n    manager = QNetworkAccessManager\n',
		}),
	);
	assert.deepEqual(undeclaredHigh(report), ['the network outside the host’s API']);
});

test('the host’s local HTTP port is network outside the host API', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'import urllib.request\n\ndef poke():\n    urllib.request.urlopen("http://127.0.0.1:8000/openalbum?id=x")\n',
		}),
	);
	assert.deepEqual(undeclaredHigh(report), ['the network outside the host’s API']);
});
