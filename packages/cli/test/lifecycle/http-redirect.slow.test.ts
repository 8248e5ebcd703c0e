/**
 * D27 through the CLI: an HTTP redirect from a clean address to a blacklisted one installed the
 * blacklisted repository under the clean name. Now a redirect is followed only when its target
 * passes the transport rule and the blacklist, and the address really fetched from is
 * recorded. A local clone answers for its `origin` too. Real git over HTTP on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
	type RedirectRule,
	redirectPrefixes,
} from '../../../library/test/helpers/git-http-server.ts';
import {
	createPluginRepo,
	manifestToml,
	runTestGit,
} from '../../../library/test/helpers/git-repos.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './world.ts';

const CLEAN = { name: 'clean', uuid: '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9' };
const BAD = { name: 'bad', uuid: '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d' };
const HOME = { name: 'newhome', uuid: '3b4c5d6e-7f8a-4b9c-8d1e-2f3a4b5c6d7e' };

let world: World;
let rules: RedirectRule[] = [];
let clean: ServedPlugin;
let bad: ServedPlugin;
let home: ServedPlugin;

function errorOf(run: CliRun): { code?: string; message?: string } {
	return (parseJson(run).error as { code?: string; message?: string } | undefined) ?? {};
}

function askedFor(path: string): number {
	return world.server.requests.filter((request) => request.url.startsWith(`/${path}`)).length;
}

/** Neither plugin behind these addresses was installed. */
async function nothingInstalledFrom(...served: ServedPlugin[]): Promise<void> {
	const plugins = Object.values((await world.state()).plugins);
	for (const plugin of plugins) {
		for (const { url } of served) {
			assert.notEqual(plugin.source.url, url);
			assert.notEqual(plugin.source.fetchedUrl, url);
		}
	}
	assert.equal((await world.state()).plugins[BAD.uuid], undefined);
}

const blacklist = () => [{ url: bad.url, reason: 'Ships a token stealer' }];
const vouch = (args: string[]) =>
	world.vouch([...args, '--registry', world.registryFile, '--json']);

before(async () => {
	world = await createWorld({ redirect: (request) => redirectPrefixes(rules)(request) });
	clean = world.serve(CLEAN);
	bad = world.serve(BAD);
	home = world.serve(HOME);
});
after(() => world.close());

describe('redirects at install (D27)', () => {
	beforeEach(() => {
		rules = [];
		world.writeRegistry([registryEntry(clean, CLEAN)], blacklist());
	});

	it('refuses a clean URL that redirects to a blacklisted one, naming it', async () => {
		rules = [{ from: '/clean.git', to: '/bad.git' }];
		const before = askedFor('bad.git');
		const run = await vouch(['install', clean.url, '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
		assert.match(errorOf(run).message ?? '', /redirects to .*bad\.git/);
		assert.equal(askedFor('bad.git'), before, 'the blacklisted repository was never asked');
		await nothingInstalledFrom(clean, bad);
	});

	it('refuses it by registry id too, with every redirect status', async () => {
		for (const status of [301, 302, 307, 308]) {
			rules = [{ from: '/clean.git', to: `${world.server.url}/bad.git`, status }];
			const run = await vouch(['install', 'clean', '--yes']);
			assert.equal(run.code, 3, `${status}: ${run.stdout}${run.stderr}`);
			assert.equal(errorOf(run).code, 'BLACKLISTED');
		}
		await nothingInstalledFrom(clean, bad);
	});

	it('follows a redirect to a clean address and records where the code came from', async () => {
		rules = [{ from: '/old-home.git', to: '/newhome.git', status: 301 }];
		const old = `${world.server.url}/old-home.git`;
		const run = await vouch(['install', old, '--yes']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const record = (await world.state()).plugins[HOME.uuid];
		assert.equal(record?.source.url, old);
		assert.equal(record?.source.fetchedUrl, home.url);
		assert.equal(record?.source.commit, home.repo.commitOf());
	});

	it('refuses a redirect to plain http elsewhere, file:// or a helper, naming it', async () => {
		for (const to of [
			'http://example.invalid/clean.git',
			`file://${join(world.root, 'served', 'bad.git')}`,
			'ext::sh -c touch% /tmp/pwned',
		]) {
			rules = [{ from: '/clean.git', to }];
			const run = await vouch(['install', clean.url, '--yes']);
			assert.equal(run.code === 0, false, to);
			assert.equal(errorOf(run).code, 'GIT_REDIRECT_REFUSED', to);
		}
		await nothingInstalledFrom(clean, bad);
	});

	it('holds a registry entry to https even when the user allows insecure transport', async () => {
		rules = [{ from: '/clean.git', to: 'http://example.invalid/clean.git' }];
		const run = await vouch(['install', 'clean', '--yes', '--allow-insecure-transport']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'REDIRECT_REFUSED');
		assert.match(errorOf(run).message ?? '', /example\.invalid/);
	});

	it('stops a redirect loop', async () => {
		rules = [
			{ from: '/clean.git', to: '/loop.git' },
			{ from: '/loop.git', to: '/clean.git' },
		];
		const run = await vouch(['install', clean.url, '--yes']);
		assert.equal(errorOf(run).code, 'GIT_REDIRECT_REFUSED');
	});
});

describe('redirects after install (D27)', () => {
	before(async () => {
		rules = [];
		world.writeRegistry([registryEntry(clean, CLEAN)], blacklist());
		const run = await vouch(['install', 'clean', '--yes']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		// A newer commit, so there is something to update to.
		clean.repo.commit({ 'more.py': 'z = 3\n' });
		world.publish(clean);
		rules = [{ from: '/clean.git', to: '/bad.git' }];
	});

	it('update refuses to follow the clean URL to the blacklisted one', async () => {
		const before = (await world.state()).plugins[CLEAN.uuid]?.source.commit;
		const run = await vouch(['update', 'clean', '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
		assert.equal((await world.state()).plugins[CLEAN.uuid]?.source.commit, before);
	});

	it('switch-ref refuses it too', async () => {
		const run = await vouch(['switch-ref', 'clean', 'main', '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
	});

	it('check-updates reports the plugin as blocked instead of offering the update', async () => {
		const run = await vouch(['check-updates']);
		assert.equal(run.code, 0, run.stderr);
		const checks = parseJson(run).plugins as { name: string; status: string; reason?: string }[];
		const check = checks.find((entry) => entry.name === 'clean');
		assert.equal(check?.status, 'blocked');
		assert.match(check?.reason ?? '', /bad\.git/);
	});

	it('scan of the clean URL refuses to scan the blacklisted code in its place', async () => {
		const before = askedFor('bad.git');
		const run = await vouch(['scan', clean.url]);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
		assert.equal(askedFor('bad.git'), before);
	});

	it('scan follows a redirect to a clean address, and says so', async () => {
		rules = [{ from: '/old-home.git', to: '/newhome.git' }];
		const run = await vouch(['scan', `${world.server.url}/old-home.git`]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const target = parseJson(run).target as { label: string };
		assert.match(target.label, /redirected to .*newhome\.git/);
	});
});

describe('local clones answer for their origin (D27)', () => {
	before(() => {
		rules = [];
		world.writeRegistry([], blacklist());
	});

	it('refuses a local clone whose origin is blacklisted', async () => {
		const copy = createPluginRepo({
			manifest: manifestToml({ uuid: '4c5d6e7f-8a9b-4c0d-9e1f-3a4b5c6d7e8f', name: 'copy' }),
		});
		copy.git(['remote', 'add', 'origin', bad.url]);
		const run = await vouch(['install', copy.dir, '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
		assert.match(errorOf(run).message ?? '', /origin/);
	});

	it('spells the origin any way git accepts and is still caught', async () => {
		const copy = createPluginRepo({
			manifest: manifestToml({ uuid: '5d6e7f8a-9b0c-4d1e-8f2a-4b5c6d7e8f9a', name: 'copy2' }),
		});
		copy.git(['remote', 'add', 'origin', `${bad.url.replace('http://', 'HTTP://')}/`]);
		const run = await vouch(['install', copy.dir, '--yes']);
		assert.equal(errorOf(run).code, 'BLACKLISTED', run.stdout + run.stderr);
	});

	it('follows a clone of a clone back to the blacklisted origin', async () => {
		const copy = createPluginRepo({
			manifest: manifestToml({ uuid: '7f8a9b0c-1d2e-4f3a-8b4c-6d7e8f9a0b1c', name: 'copy3' }),
		});
		copy.git(['remote', 'add', 'origin', bad.url]);
		// A second copy cloned from the first: its origin is a path, whose origin is the address.
		const outer = createPluginRepo({
			manifest: manifestToml({ uuid: '7f8a9b0c-1d2e-4f3a-8b4c-6d7e8f9a0b1c', name: 'copy3' }),
		});
		outer.git(['remote', 'add', 'origin', copy.dir]);
		const run = await vouch(['install', outer.dir, '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
	});

	it('reads the origin as git rewrites it (url.<base>.insteadOf)', async () => {
		const copy = createPluginRepo({
			manifest: manifestToml({ uuid: '8a9b0c1d-2e3f-4a4b-9c5d-7e8f9a0b1c2d', name: 'copy4' }),
		});
		// `short:bad` is what the config says; git fetches it from the blacklisted address.
		copy.git(['config', `url.${bad.url.replace(/bad\.git$/, '')}.insteadOf`, 'short:']);
		copy.git(['remote', 'add', 'origin', 'short:bad.git']);
		assert.equal(copy.git(['remote', 'get-url', 'origin']).trim(), bad.url);
		const run = await vouch(['install', copy.dir, '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
	});

	it('finds an origin git reads from outside the config file itself', async () => {
		// git fetches from all three, yet none is a `remote.origin.url` line in `.git/config`.
		const ways: [string, (dir: string) => void][] = [
			[
				'an included config file',
				(dir) => {
					const included = join(dir, '..', 'origin.inc');
					writeFileSync(included, `[remote "origin"]\n\turl = ${bad.url}\n`);
					runTestGit(dir, ['config', 'include.path', included]);
				},
			],
			[
				'a .git/remotes file',
				(dir) => {
					mkdirSync(join(dir, '.git', 'remotes'), { recursive: true });
					writeFileSync(join(dir, '.git', 'remotes', 'origin'), `URL: ${bad.url}\n`);
				},
			],
			[
				'a .git/branches file',
				(dir) => {
					mkdirSync(join(dir, '.git', 'branches'), { recursive: true });
					writeFileSync(join(dir, '.git', 'branches', 'origin'), `${bad.url}\n`);
				},
			],
		];
		for (const [index, [way, write]] of ways.entries()) {
			const copy = createPluginRepo({
				manifest: manifestToml({
					uuid: `2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6${index}`,
					name: 'hid',
				}),
			});
			write(copy.dir);
			assert.equal(copy.git(['remote', 'get-url', 'origin']).trim(), bad.url, way);
			const run = await vouch(['install', copy.dir, '--yes']);
			assert.equal(errorOf(run).code, 'BLACKLISTED', `${way}: ${run.stdout}${run.stderr}`);
		}
	});

	it('still reads the origin as written when git rewrites it to a mirror', async () => {
		const copy = createPluginRepo({
			manifest: manifestToml({ uuid: '1d2e3f4a-5b6c-4d7e-8f9a-0b1c2d3e4f5a', name: 'copy5' }),
		});
		// git would fetch from the clean mirror; the blacklist names the address as written.
		copy.git(['config', `url.${clean.url}.insteadOf`, bad.url]);
		copy.git(['remote', 'add', 'origin', bad.url]);
		assert.equal(copy.git(['remote', 'get-url', 'origin']).trim(), clean.url);
		const run = await vouch(['install', copy.dir, '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
	});

	it('keeps checking the origin after install: list, info, startup and enable', async () => {
		const spec = { uuid: '9b0c1d2e-3f4a-4b5c-8d6e-8f9a0b1c2d3e', name: 'later' };
		const copy = createPluginRepo({ manifest: manifestToml(spec) });
		const laterBad = world.serve({
			name: 'laterbad',
			uuid: '0c1d2e3f-4a5b-4c6d-9e7f-9a0b1c2d3e4f',
		});
		copy.git(['remote', 'add', 'origin', laterBad.url]);
		const installed = await vouch(['install', copy.dir, '--yes']);
		assert.equal(installed.code, 0, installed.stdout + installed.stderr);
		assert.equal((await world.state()).enabled.includes(spec.uuid), true);

		// The registry learns of the repository the copy was cloned from.
		world.writeRegistry([], [...blacklist(), { url: laterBad.url, reason: 'Found out later' }]);
		// What list and info say agrees with what the startup check then does.
		const list = await vouch(['list']);
		const listed = (parseJson(list).plugins as { uuid: string; blacklisted: unknown }[]).find(
			(item) => item.uuid === spec.uuid,
		);
		assert.match(JSON.stringify(listed?.blacklisted), /Found out later/, list.stdout);
		const info = await vouch(['info', spec.uuid, '--offline']);
		const installedInfo = parseJson(info).installed as { blacklisted: unknown } | undefined;
		assert.match(JSON.stringify(installedInfo?.blacklisted), /Found out later/, info.stdout);
		const startup = await vouch(['startup-check']);
		assert.equal(startup.code, 0, startup.stdout + startup.stderr);
		const report = parseJson(startup) as {
			load: { uuid: string }[];
			disabled: { uuid: string; kind: string }[];
		};
		assert.equal(
			report.load.some((item) => item.uuid === spec.uuid),
			false,
			startup.stdout,
		);
		assert.equal(report.disabled.find((item) => item.uuid === spec.uuid)?.kind, 'blacklist');
		assert.equal((await world.state()).enabled.includes(spec.uuid), false);

		const enable = await vouch(['enable', spec.uuid]);
		assert.notEqual(enable.code, 0, enable.stdout + enable.stderr);
		assert.equal(errorOf(enable).code, 'BLACKLISTED');
		world.writeRegistry([], blacklist());
	});

	it('a hard block on the origin outranks a soft one on the copy: startup quarantines it, and --yes does not enable it', async () => {
		const spec = { uuid: '7d8e9f0a-1b2c-4d3e-8f4a-6b7c8d9e0f1a', name: 'twoblocks' };
		const copy = createPluginRepo({ manifest: manifestToml(spec) });
		const origin = world.serve({ name: 'hardbad', uuid: '8e9f0a1b-2c3d-4e4f-9a5b-7c8d9e0f1a2b' });
		copy.git(['remote', 'add', 'origin', origin.url]);
		const installed = await vouch(['install', copy.dir, '--yes']);
		assert.equal(installed.code, 0, installed.stdout + installed.stderr);

		// A notice on the plugin's UUID (a soft block, listed after), and a hard block of the
		// repository the copy came from: the copy's own path is checked first, and meets only
		// the soft one.
		world.writeRegistry(
			[],
			[
				{ url: origin.url, reason: 'Ships a token stealer', severity: 'hard' },
				{ uuid: spec.uuid, reason: 'Under review', severity: 'soft' },
			],
		);
		const info = await vouch(['info', spec.uuid, '--offline']);
		const shown = parseJson(info).installed as { blacklisted: unknown } | undefined;
		assert.match(JSON.stringify(shown?.blacklisted), /token stealer/, info.stdout);
		const startup = await vouch(['startup-check']);
		assert.equal(startup.code, 0, startup.stdout + startup.stderr);
		const report = parseJson(startup) as { quarantined: { uuid: string; reason: string }[] };
		const quarantined = report.quarantined.find((item) => item.uuid === spec.uuid);
		assert.match(quarantined?.reason ?? '', /token stealer/, startup.stdout);

		const enable = await vouch(['enable', spec.uuid, '--yes']);
		assert.equal(enable.code, 3, enable.stdout + enable.stderr);
		assert.equal(errorOf(enable).code, 'BLACKLISTED');
		assert.equal((await world.state()).enabled.includes(spec.uuid), false);
		world.writeRegistry([], blacklist());
	});

	it('info checks a local clone under its origin chain, as install does', async () => {
		const spec = { uuid: '9b0c1d2e-3f4a-4b5c-8d6e-8f9a0b1c2d3e', name: 'infocopy' };
		const copy = createPluginRepo({ manifest: manifestToml(spec) });
		copy.git(['remote', 'add', 'origin', bad.url]);
		// A copy of the copy: its origin is a path, whose origin is the blacklisted address.
		const outer = createPluginRepo({ manifest: manifestToml(spec) });
		outer.git(['remote', 'add', 'origin', copy.dir]);
		for (const dir of [copy.dir, outer.dir]) {
			const install = await vouch(['install', dir, '--yes']);
			assert.equal(errorOf(install).code, 'BLACKLISTED', install.stdout + install.stderr);
			const info = await vouch(['info', dir, '--offline']);
			assert.equal(info.code, 0, info.stdout + info.stderr);
			const shown = parseJson(info) as { registered: boolean; blacklisted: unknown };
			assert.equal(shown.registered, false);
			assert.match(JSON.stringify(shown.blacklisted), /token stealer/, info.stdout);
			const human = await world.vouch(['info', dir, '--offline', '--registry', world.registryFile]);
			assert.match(human.stdout, /Blacklisted: Ships a token stealer/);
			assert.doesNotMatch(human.stdout, /not blacklisted/);
		}
		// A clone whose origin is clean is still shown as not blacklisted.
		const fine = createPluginRepo({ manifest: manifestToml(spec) });
		fine.git(['remote', 'add', 'origin', clean.url]);
		const human = await world.vouch([
			'info',
			fine.dir,
			'--offline',
			'--registry',
			world.registryFile,
		]);
		assert.match(human.stdout, /not blacklisted/);
	});

	it('installs a local clone whose origin is clean', async () => {
		const spec = { uuid: '6e7f8a9b-0c1d-4e2f-9a3b-5c6d7e8f9a0b', name: 'fine' };
		const copy = createPluginRepo({ manifest: manifestToml(spec) });
		copy.git(['remote', 'add', 'origin', clean.url]);
		const run = await vouch(['install', copy.dir, '--yes']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal((await world.state()).plugins[spec.uuid]?.source.commit, copy.commitOf());
	});
});

describe('addresses the user has git rewrite (url.<base>.insteadOf, D27)', () => {
	// The user's own git config turns a shorthand into the served address: git fetches from
	// there, while the address Vouch was given names no such repository.
	let env: Record<string, string>;
	const shortVouch = (args: string[]) =>
		world.vouch(
			[...args, '--registry', world.registryFile, '--json', '--allow-insecure-transport'],
			{
				env,
			},
		);
	before(() => {
		rules = [];
		world.writeRegistry([], blacklist());
		const config = join(world.root, 'rewrite.gitconfig');
		writeFileSync(config, `[url "${world.server.url}/"]\n\tinsteadOf = short:\n`);
		env = { GIT_CONFIG_GLOBAL: config };
	});

	it('refuses a shorthand git rewrites to a blacklisted address', async () => {
		const run = await shortVouch(['install', 'short:bad.git', '--yes']);
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(errorOf(run).code, 'BLACKLISTED');
		await nothingInstalledFrom(bad);
	});

	it('records the rewritten address, and the startup check keeps checking it', async () => {
		const spec = { name: 'shorthand', uuid: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a' };
		const served = world.serve(spec);
		const installed = await shortVouch(['install', 'short:shorthand.git', '--yes']);
		assert.equal(installed.code, 0, installed.stdout + installed.stderr);
		assert.equal((await world.state()).plugins[spec.uuid]?.source.fetchedUrl, served.url);

		world.writeRegistry([], [...blacklist(), { url: served.url, reason: 'Found out later' }]);
		const startup = await world.vouch(
			['startup-check', '--registry', world.registryFile, '--json'],
			{ env },
		);
		assert.equal(startup.code, 0, startup.stdout + startup.stderr);
		const report = parseJson(startup) as { disabled: { uuid: string; kind: string }[] };
		assert.equal(report.disabled.find((item) => item.uuid === spec.uuid)?.kind, 'blacklist');
		world.writeRegistry([], blacklist());
	});
});
