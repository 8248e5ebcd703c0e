/**
 * setup.py command overrides run when pip installs or builds the package: what they do is judged
 * as install-time code. The network, shell commands and code built at run time are high; plain
 * build steps (a fixed program, files written) keep their own severity.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plugin } from './reach-support.ts';
import { scan } from './support.ts';

const installTime = async (setup: string) =>
	(await scan(plugin({ 'setup.py': setup }))).findings
		.filter((f) => f.ruleId.startsWith('import-time-'))
		.map((f) => `${f.ruleId}:${f.line}:${f.severity}`);

test('a command class by its base, by cmdclass, or through a helper it calls runs at install', async () => {
	const found = await installTime(
		[
			'import os, urllib.request',
			'from setuptools import setup, Command',
			'from setuptools.command.install import install',
			'',
			'def helper(url):',
			'    return urllib.request.urlopen(url)',
			'',
			'class Post(install):',
			'    def run(self):',
			"        helper('https://203.0.113.9/x')",
			'',
			'class Custom(Command):',
			'    def run(self):',
			"        os.system('sh ' + self.script)",
			'',
			'class Deeper(Post):',
			'    def run(self):',
			'        exec(self.code)',
			'',
			"setup(name='x', cmdclass={'install': Post, 'custom': Custom})",
		].join('\n'),
	);
	assert.deepEqual(found.sort(), [
		'import-time-exec:18:high',
		'import-time-side-effect:14:high',
		'import-time-side-effect:6:high',
	]);
});

test('plain build steps in a command class, and commands outside a setup script, stay below high', async () => {
	const build = await installTime(
		[
			'import subprocess',
			'from setuptools import setup',
			'from setuptools.command.build_py import build_py',
			'',
			'class BuildTranslations(build_py):',
			'    def run(self):',
			"        subprocess.check_call(['lrelease', 'po/plugin.ts'])",
			"        with open('plugin/version.py', 'w') as out:",
			"            out.write('VERSION = 1')",
			'        build_py.run(self)',
			'',
			"setup(name='x', cmdclass={'build_py': BuildTranslations})",
		].join('\n'),
	);
	assert.deepEqual(build, []);
	// A module defining commands for others (distutils' own) is not a setup script.
	const library = await installTime(
		[
			'import os',
			'from distutils.command.install import install',
			'class install_more(install):',
			'    def run(self):',
			"        os.system('make ' + self.target)",
		].join('\n'),
	);
	assert.deepEqual(library, []);
});
