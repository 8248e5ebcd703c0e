import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { isVouchError, type VouchError } from '../../src/core/errors.ts';
import {
	MAX_PROFILE_BYTES,
	PICARD_REGISTRY_URLS,
	profileFromDocument,
	resolveProfile,
} from '../../src/core/profile.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'vouch-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const HOME = '/home/someone';
const base = { env: {}, cwd: root, home: HOME };

let counter = 0;
function profileFile(text: string, name = 'profile.toml'): string {
	const dir = path.join(root, `p${counter++}`);
	fs.mkdirSync(dir);
	const file = path.join(dir, name);
	fs.writeFileSync(file, text);
	return file;
}

const MINIMAL = `
name = "myapp"
api_versions = ["3.0"]
registry_urls = ["https://plugins.example.org/"]
allow_unsigned = true
`;

function caught(fn: () => unknown): VouchError {
	try {
		fn();
	} catch (error) {
		if (isVouchError(error)) return error;
		throw error;
	}
	assert.fail('expected a VouchError');
}

describe('the built-in picard profile', () => {
	it('is the default, with Picard settings and XDG directories', () => {
		const profile = resolveProfile(base);
		assert.equal(profile.name, 'picard');
		assert.equal(profile.source, 'builtin');
		assert.deepEqual(profile.apiVersions, ['3.0']);
		assert.deepEqual(profile.registryUrls, [...PICARD_REGISTRY_URLS]);
		assert.equal(profile.allowUnsigned, true);
		assert.equal(profile.trustedRoot, undefined);
		assert.deepEqual(profile.categories, [
			'metadata',
			'coverart',
			'ui',
			'scripting',
			'formats',
			'other',
		]);
		assert.equal(profile.maxStalenessDays, 14);
		assert.equal(profile.refreshIntervalHours, 6);
		assert.equal(profile.dataDir, '/home/someone/.local/share/vouch/picard');
		assert.equal(profile.pluginsDir, '/home/someone/.local/share/vouch/picard/plugins');
		assert.equal(profile.cacheDir, '/home/someone/.cache/vouch/picard');
		assert.equal(profile.configDir, '/home/someone/.config/vouch/picard');
	});

	it('uses the reference registry URLs, primary first', () => {
		assert.match(
			PICARD_REGISTRY_URLS[0] ?? '',
			/^https:\/\/raw\.githubusercontent\.com\/metabrainz\//,
		);
		assert.match(PICARD_REGISTRY_URLS[1] ?? '', /^https:\/\/picard\.musicbrainz\.org\//);
	});

	it('honours XDG variables', () => {
		const profile = resolveProfile({ ...base, env: { XDG_DATA_HOME: '/xdg/data' } });
		assert.equal(profile.pluginsDir, '/xdg/data/vouch/picard/plugins');
	});

	it('puts VOUCH_REGISTRY_URL in front of the list, once', () => {
		const env = { VOUCH_REGISTRY_URL: 'http://127.0.0.1:8080/plugins.toml' };
		assert.deepEqual(resolveProfile({ ...base, env }).registryUrls, [
			'http://127.0.0.1:8080/plugins.toml',
			...PICARD_REGISTRY_URLS,
		]);
		const same = { VOUCH_REGISTRY_URL: PICARD_REGISTRY_URLS[1] };
		assert.deepEqual(resolveProfile({ ...base, env: same }).registryUrls, [
			PICARD_REGISTRY_URLS[1],
			PICARD_REGISTRY_URLS[0],
		]);
		assert.deepEqual(resolveProfile({ ...base, env: { VOUCH_REGISTRY_URL: ' ' } }).registryUrls, [
			...PICARD_REGISTRY_URLS,
		]);
	});
});

describe('resolveProfile precedence', () => {
	it('prefers --profile over VOUCH_PROFILE over picard', () => {
		const file = profileFile(MINIMAL);
		assert.equal(resolveProfile({ ...base, env: { VOUCH_PROFILE: file } }).name, 'myapp');
		assert.equal(
			resolveProfile({ ...base, env: { VOUCH_PROFILE: file }, nameOrFile: 'picard' }).name,
			'picard',
		);
		assert.equal(resolveProfile({ ...base, env: { VOUCH_PROFILE: '' } }).name, 'picard');
	});

	it('reads a profile path relative to cwd, or under ~', () => {
		const file = profileFile(MINIMAL);
		const relative = path.relative(root, file);
		assert.equal(resolveProfile({ ...base, nameOrFile: relative }).source, file);
		const home = path.dirname(file);
		assert.equal(
			resolveProfile({ ...base, home, nameOrFile: `~/${path.basename(file)}` }).source,
			file,
		);
	});

	it('an unknown name that is not a file lists the built-in names', () => {
		const error = caught(() => resolveProfile({ ...base, nameOrFile: 'no-such-profile' }));
		assert.equal(error.code, 'INVALID_PROFILE');
		assert.deepEqual(error.details?.builtins, ['picard']);
		assert.ok(error.hint?.includes('picard'));
	});
});

describe('profile files', () => {
	it('fills defaults and resolves paths against the file', () => {
		const file = profileFile(`
name = "myapp"
api_versions = ["3.0", "3.1"]
registry_urls = ["https://plugins.example.org/", "local/plugins.toml", "file:///srv/r.toml", "http://localhost:9/r"]
trusted_root = "root.json"
allow_unsigned = false
data_dir = "data"
cache_dir = "/var/cache/myapp"
`);
		const dir = path.dirname(file);
		const profile = resolveProfile({ ...base, nameOrFile: file });
		assert.equal(profile.source, file);
		assert.equal(profile.trustedRoot, path.join(dir, 'root.json'));
		assert.deepEqual(profile.registryUrls, [
			'https://plugins.example.org/',
			path.join(dir, 'local/plugins.toml'),
			'file:///srv/r.toml',
			'http://localhost:9/r',
		]);
		assert.equal(profile.dataDir, path.join(dir, 'data'));
		assert.equal(profile.pluginsDir, path.join(dir, 'data', 'plugins'));
		assert.equal(profile.cacheDir, '/var/cache/myapp');
		assert.equal(profile.configDir, '/home/someone/.config/vouch/myapp');
		assert.equal(profile.allowUnsigned, false);
		assert.deepEqual(profile.categories, [
			'metadata',
			'coverart',
			'ui',
			'scripting',
			'formats',
			'other',
		]);
		assert.equal(profile.maxStalenessDays, 14);
		assert.equal(profile.refreshIntervalHours, 6);
	});

	it('puts VOUCH_REGISTRY_URL in front of a file profile too', () => {
		const file = profileFile(MINIMAL);
		const env = { VOUCH_REGISTRY_URL: '/tmp/r.toml' };
		assert.deepEqual(resolveProfile({ ...base, env, nameOrFile: file }).registryUrls, [
			'/tmp/r.toml',
			'https://plugins.example.org/',
		]);
	});

	const invalid: [string, string][] = [
		['an unknown key', `${MINIMAL}allow_unsgined = true\n`],
		['a missing name', MINIMAL.replace('name = "myapp"', '')],
		['a name with a slash', MINIMAL.replace('"myapp"', '"../x"')],
		['an unparsable API version', MINIMAL.replace('["3.0"]', '["v3.0"]')],
		['no API versions', MINIMAL.replace('["3.0"]', '[]')],
		['no registry', MINIMAL.replace('["https://plugins.example.org/"]', '[]')],
		['plain http to a remote host', MINIMAL.replace('https://plugins', 'http://plugins')],
		['an ssh registry', MINIMAL.replace('https://plugins', 'ssh://plugins')],
		['a wrongly typed value', `${MINIMAL}max_staleness_days = "14"\n`],
		['a fractional day count', `${MINIMAL}max_staleness_days = 1.5\n`],
		['a bad category', `${MINIMAL}categories = ["Bad Category"]\n`],
		['signed-only without a trusted root', MINIMAL.replace('allow_unsigned = true', '')],
		[
			'a case-insensitive host that is a URL',
			`${MINIMAL}case_insensitive_path_hosts = ["https://git.example.org/"]\n`,
		],
		[
			'a case-insensitive host IDNA refuses',
			`${MINIMAL}case_insensitive_path_hosts = ["xn--zz"]\n`,
		],
	];
	for (const [label, text] of invalid) {
		it(`refuses ${label} with INVALID_PROFILE`, () => {
			const file = profileFile(text);
			assert.equal(
				caught(() => resolveProfile({ ...base, nameOrFile: file })).code,
				'INVALID_PROFILE',
			);
		});
	}

	it('puts the line and column of a TOML syntax error in the details', () => {
		const file = profileFile('name = "x"\napi_versions = = 1\n');
		const error = caught(() => resolveProfile({ ...base, nameOrFile: file }));
		assert.equal(error.code, 'INVALID_PROFILE');
		assert.equal(error.details?.line, 2);
		assert.equal(typeof error.details?.column, 'number');
	});

	it('refuses TOML nested deeper than 8 levels at the parser, before validation', () => {
		const file = profileFile(`${MINIMAL}categories = [[[[[[[[[["x"]]]]]]]]]]\n`);
		const error = caught(() => resolveProfile({ ...base, nameOrFile: file }));
		assert.equal(error.code, 'INVALID_PROFILE');
		assert.equal(error.details?.line, 6);
	});

	it('lists the zod issues in the details, by key', () => {
		const file = profileFile(`${MINIMAL}bogus = 1\n`);
		const error = caught(() => resolveProfile({ ...base, nameOrFile: file }));
		const issues = error.details?.issues as { path: string; message: string }[];
		assert.ok(issues.some((issue) => issue.message.includes('bogus')));
	});

	it('refuses a file over 64 KiB, invalid UTF-8, and a directory', () => {
		const big = profileFile(`${MINIMAL}#${'x'.repeat(MAX_PROFILE_BYTES)}\n`);
		const binary = path.join(path.dirname(profileFile(MINIMAL)), 'bin.toml');
		fs.writeFileSync(binary, Buffer.from([0x6e, 0x3d, 0xff, 0xfe]));
		for (const nameOrFile of [big, binary, root]) {
			assert.equal(caught(() => resolveProfile({ ...base, nameOrFile })).code, 'INVALID_PROFILE');
		}
	});

	it('keeps terminal escapes out of error messages', () => {
		const file = profileFile(
			MINIMAL.replace('https://plugins.example.org/', 'http://evil\u001b[2J.example/'),
		);
		const error = caught(() => resolveProfile({ ...base, nameOrFile: file }));
		assert.equal(error.message.includes('\u001b'), false);
	});
});

describe('profileFromDocument', () => {
	it('accepts an object a host passes in', () => {
		const profile = profileFromDocument(
			{
				name: 'embedded',
				api_versions: ['1.0'],
				registry_urls: ['https://r.example/'],
				trusted_root: '/etc/app/root.json',
			},
			{ env: {}, home: HOME, baseDir: '/opt/app', source: 'host' },
		);
		assert.equal(profile.trustedRoot, '/etc/app/root.json');
		assert.equal(profile.allowUnsigned, false);
		assert.equal(profile.source, 'host');
		assert.equal(profile.dataDir, '/home/someone/.local/share/vouch/embedded');
	});
});

describe('case_insensitive_path_hosts (D2)', () => {
	it('defaults to the big forges, in the built-in profile and in files', () => {
		const forges = ['github.com', 'gitlab.com', 'codeberg.org', 'bitbucket.org'];
		assert.deepEqual([...resolveProfile(base).caseInsensitivePathHosts], forges);
		const fromFile = resolveProfile({ ...base, nameOrFile: profileFile(MINIMAL) });
		assert.deepEqual([...fromFile.caseInsensitivePathHosts], forges);
	});

	it('takes the list a profile gives, an empty one included', () => {
		const custom = profileFile(`${MINIMAL}case_insensitive_path_hosts = ["git.example.org"]\n`);
		assert.deepEqual(
			[...resolveProfile({ ...base, nameOrFile: custom }).caseInsensitivePathHosts],
			['git.example.org'],
		);
		const none = profileFile(`${MINIMAL}case_insensitive_path_hosts = []\n`);
		assert.deepEqual(
			[...resolveProfile({ ...base, nameOrFile: none }).caseInsensitivePathHosts],
			[],
		);
	});
});

describe('plugin_language', () => {
	it('is Python unless a profile says otherwise, as in Picard', () => {
		assert.equal(resolveProfile(base).pluginLanguage, 'python');
		const file = profileFile(MINIMAL);
		assert.equal(resolveProfile({ ...base, nameOrFile: file }).pluginLanguage, 'python');
	});

	it('reads javascript and refuses a language Vouch does not scaffold', () => {
		const js = profileFile(`${MINIMAL}plugin_language = "javascript"\n`);
		assert.equal(resolveProfile({ ...base, nameOrFile: js }).pluginLanguage, 'javascript');
		const other = profileFile(`${MINIMAL}plugin_language = "cobol"\n`);
		assert.equal(
			caught(() => resolveProfile({ ...base, nameOrFile: other })).code,
			'INVALID_PROFILE',
		);
	});
});
