/**
 * Other programs' code and configuration: a plugin that names where another application keeps
 * its code (Discord's core module, browser extensions, other apps' plugins, installed packages,
 * the host's own installation) and can write files is `app-tamper`, high. Reading those places,
 * or words that only look alike, stays quiet.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plugin } from './reach-support.ts';
import { scan } from './support.ts';

const tamper = async (files: Record<string, string>) =>
	(await scan(plugin(files))).findings.filter((f) => f.ruleId === 'app-tamper');

const WRITES = "\ndef save(p, data):\n    with open(p, 'w') as out:\n        out.write(data)\n";

test('each kind of other program’s code, named and written, is app-tamper', async () => {
	const places = [
		"P = '~/.config/discordcanary/0.0.90/modules/discord_desktop_core/index.js'",
		"P = 'AppData/Local/Google/Chrome/User Data/Default/Extensions'",
		"P = '~/.mozilla/firefox/abc.default/extensions/x.xpi'",
		"P = '~/.obsidian/plugins/evil/main.js'",
		"P = '/usr/lib/python3/dist-packages/requests/__init__.py'",
		"P = 'C:\\\\Program Files\\\\MusicBrainz Picard\\\\picard\\\\util.py'",
		'import site\nP = site.getusersitepackages()',
		'import picard, os\nP = os.path.dirname(picard.__file__)',
	];
	for (const place of places) {
		const found = await tamper({ '__init__.py': place + WRITES });
		assert.equal(found.length, 1, place);
		assert.equal(found[0]?.severity, 'high');
	}
	const js = await tamper({
		'index.js':
			"const fs = require('fs');\nconst p = require.resolve('axios');\nfs.writeFileSync(p, '');\n",
	});
	assert.equal(js.length, 1);
});

test('reading other programs’ places, or look-alike words, stays quiet', async () => {
	const quiet = [
		// Named but never written: a plugin may look up where a package lives.
		{ '__init__.py': 'import site\nprint(site.getsitepackages())\n' },
		// Written, but the words only look alike.
		{
			'__init__.py': `EXT = 'file extensions: .mp3, .flac'\nHELP = 'see the plugins menu'${WRITES}`,
		},
		{
			'index.js':
				"const fs = require('fs');\nconst own = require.resolve('./lib/x.js');\nfs.writeFileSync('/tmp/out', own);\n",
		},
		{
			'index.js':
				"const fs = require('fs');\nfs.mkdirSync('node_modules/.cache/covers', { recursive: true });\n",
		},
	];
	for (const files of quiet) assert.deepEqual(await tamper(files), [], JSON.stringify(files));
});
