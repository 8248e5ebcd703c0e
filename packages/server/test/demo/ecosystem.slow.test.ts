/**
 * The demo behind `npm start`, end to end: the ecosystem prepared in a temp dir, its registry
 * signed with its own keys into a TUF repository, served on 127.0.0.1 with the plugins' git
 * repositories, and the very commands the instructions print run through the real CLI. Each
 * must do what its line says. Also: a second start reuses the ecosystem, and one left
 * half-made by a crash is rebuilt.
 */
import assert from 'node:assert/strict';
import {
	cpSync,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LOG_SIGNER_FILE } from '@vouch/library/internal/tuf/repository/log-keys';
import { publishRepository } from '@vouch/library/internal/tuf/repository/publish';
import { type CliRun, parseJson, runVouch } from '../../../cli/test/helpers/cli.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import {
	DEMO_ECOSYSTEM_DIR,
	type DemoEcosystem,
	prepareDemoEcosystem,
} from '../../src/demo/ecosystem.ts';
import { demoInstructions, demoProfilePath, demoSteps } from '../../src/demo/instructions.ts';
import { DEMO_ROLES } from '../../src/demo/plugins.ts';
import { writeDemoProfile } from '../../src/demo/profile.ts';
import { writeDemoRegistry } from '../../src/demo/registry-document.ts';
import { type DemoServer, startDemoServer } from './demo-server.ts';

/**
 * The demo's one clock. It is the real time because tuf-js judges metadata expiry by it: the
 * repository is signed now and read now, so the test passes on any day.
 */
const clock = () => new Date();

let dataDir: string;
let ecosystem: DemoEcosystem;
let server: DemoServer;
let profile: string;

const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

/** The environment of a person trying the demo: a home of their own, kept out of it. */
function env(): NodeJS.ProcessEnv {
	const home = join(dataDir, 'person-home');
	return {
		HOME: home,
		XDG_CONFIG_HOME: join(home, '.config'),
		XDG_DATA_HOME: join(home, '.local', 'share'),
		XDG_CACHE_HOME: join(home, '.cache'),
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
		PATH: process.env.PATH ?? '/usr/bin:/bin',
	};
}

/** Runs one printed command as printed (`--profile` included), with extra flags or answers. */
function vouch(args: string[], options: { extra?: string[]; stdin?: string } = {}) {
	return runVouch([...args, '--profile', profile, ...(options.extra ?? [])], {
		env: env(),
		cwd: dataDir,
		fetch: loopbackFetch,
		now: clock,
		...(options.stdin === undefined ? {} : { stdin: options.stdin }),
	});
}

function printed(): string[][] {
	return demoSteps({ baseUrl: server.baseUrl, dataDir }).flatMap((step) =>
		step.commands.map((command) => command.args),
	);
}

/** The printed command that starts with these words. */
function command(...words: string[]): string[] {
	const found = printed().find((args) => words.every((word, index) => args[index] === word));
	assert.ok(found !== undefined, `the instructions print \`vouch ${words.join(' ')}\``);
	return found;
}

function errorCode(run: CliRun): string | undefined {
	return (parseJson(run).error as { code?: string } | undefined)?.code;
}

/** The installed plugin with this registry id or name, as `vouch list --json` shows it. */
async function installed(id: string): Promise<{ trust: string } | undefined> {
	const plugin = ecosystem.plugins.find((candidate) => candidate.id === id);
	const run = await vouch(['list', '--json']);
	assert.equal(run.code, 0, show(run));
	return (parseJson(run).plugins as { uuid: string; trust: string }[]).find(
		(item) => item.uuid === plugin?.uuid,
	);
}

function show(run: CliRun): string {
	return `exit ${run.code}\n${run.stdout}\n${run.stderr}`;
}

before(async () => {
	dataDir = makeTempDir('vouch-demo-');
	ecosystem = await prepareDemoEcosystem({ dataDir, clock });
	const tufDir = join(dataDir, 'tuf');
	server = await startDemoServer(tufDir, ecosystem.reposDir);
	const registryFile = await writeDemoRegistry(ecosystem, server.baseUrl);
	await publishRepository({
		registryText: readFileSync(registryFile, 'utf8'),
		format: 'toml',
		keysDir: ecosystem.keysDir,
		outDir: tufDir,
		now: clock(),
	});
	const written = await writeDemoProfile(dataDir, server.baseUrl, {
		rootFile: join(tufDir, 'metadata', '1.root.json'),
	});
	profile = written.profileFile;
	assert.equal(profile, demoProfilePath(dataDir));
});

after(async () => {
	await server?.close();
});

describe('the demo ecosystem through the printed commands', () => {
	it('prints the web address and every command with the demo profile', () => {
		const text = demoInstructions({ baseUrl: server.baseUrl, dataDir });
		assert.ok(text.includes(`Vouch demo registry: ${server.baseUrl}\n`));
		assert.ok(text.includes(`\n  demo=${profile}\n`), 'names the profile the tests use');
		for (const args of printed()) {
			assert.ok(
				text.includes(`\n  npx vouch ${args.join(' ')} --profile "$demo"\n`),
				`prints vouch ${args.join(' ')}`,
			);
		}
	});

	it('refreshes the signed registry from the service', async () => {
		const run = await vouch(command('refresh'), { extra: ['--json'] });
		assert.equal(run.code, 0, show(run));
		const registry = parseJson(run).registry as { signed: boolean };
		assert.equal(registry.signed, true);
	});

	it('installs the official plugin at its pinned release, without a question', async () => {
		const run = await vouch(command('install', DEMO_ROLES.official), { extra: ['--json'] });
		assert.equal(run.code, 0, show(run));
		const plugin = parseJson(run).plugin as {
			trust: string;
			release: { state: string; ref?: string };
		};
		assert.equal(plugin.trust, 'official');
		assert.deepEqual(plugin.release, { state: 'verified', ref: 'v1.1.0' }, 'the newest pin');
	});

	it('installs the trusted plugin after a question whose default is yes', async () => {
		const args = command('install', DEMO_ROLES.trusted);
		const noTerminal = await vouch(args, { extra: ['--json'] });
		assert.notEqual(noTerminal.code, 0, 'without a terminal or --yes, nobody said yes');
		const run = await vouch(args, { stdin: '\n' });
		assert.equal(run.code, 0, show(run));
		assert.match(run.stderr, /trusted/i);
	});

	it('warns before the community plugin; the default is no, and a no leaves nothing', async () => {
		const args = command('install', DEMO_ROLES.community);
		const byDefault = await vouch(args, { stdin: '\n' });
		assert.equal(byDefault.code, 130, show(byDefault));
		assert.match(byDefault.stderr, /community/i);
		assert.equal(await installed(DEMO_ROLES.community), undefined);
		const yes = await vouch(args, { stdin: 'y\n' });
		assert.equal(yes.code, 0, show(yes));
		assert.equal((await installed(DEMO_ROLES.community))?.trust, 'community');
	});

	it('refuses the plugin the scanner flags unless the findings are accepted', async () => {
		const run = await vouch(command('install', DEMO_ROLES.flagged), { extra: ['--yes', '--json'] });
		assert.notEqual(run.code, 0, show(run));
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		const human = await vouch(command('install', DEMO_ROLES.flagged), { stdin: 'y\nn\n' });
		assert.equal(human.code, 130, show(human));
		assert.match(human.stderr, /high/);
		assert.match(human.stderr, /os\.system/, 'the flagged line is shown');
		assert.equal(await installed(DEMO_ROLES.flagged), undefined);
	});

	it('refuses the blacklisted plugin with its reason and exit code 3', async () => {
		const run = await vouch(command('install', DEMO_ROLES.blacklisted), { extra: ['--json'] });
		assert.equal(run.code, 3, show(run));
		assert.equal(errorCode(run), 'BLACKLISTED');
		const human = await vouch(command('install', DEMO_ROLES.blacklisted));
		assert.equal(human.code, 3);
		assert.match(human.stderr, /music library to a third party/);
		assert.equal(await installed(DEMO_ROLES.blacklisted), undefined);
	});

	it('installs the unregistered plugin by its URL after the strongest warning', async () => {
		const run = await vouch(
			command('install', `${server.baseUrl}git/${DEMO_ROLES.unregistered}.git`),
			{
				stdin: 'y\n',
			},
		);
		assert.equal(run.code, 0, show(run));
		assert.match(run.stderr, /unregistered/i);
		assert.equal((await installed(DEMO_ROLES.unregistered))?.trust, 'unregistered');
	});

	it('lists what is installed with trust levels', async () => {
		const run = await vouch(command('list'), { extra: ['--json'] });
		assert.equal(run.code, 0, show(run));
		const trust = Object.fromEntries(
			(parseJson(run).plugins as { uuid: string; trust: string }[]).map((item) => [
				item.uuid,
				item.trust,
			]),
		);
		const expected = Object.fromEntries(
			ecosystem.plugins
				.filter((plugin) => !['cover-fetcher', 'stream-ripper'].includes(plugin.id))
				.map((plugin) => [plugin.uuid, plugin.trust]),
		);
		assert.deepEqual(trust, expected, 'the four installed, each at its trust level');
		const human = await vouch(command('list'));
		for (const level of ['official', 'trusted', 'community', 'unregistered']) {
			assert.match(human.stdout, new RegExp(level), `shows ${level}`);
		}
	});

	it('quarantines the blacklisted plugin installed anyway, at startup', async () => {
		const forced = await vouch(command('install', DEMO_ROLES.blacklisted, '--force-blacklisted'));
		assert.equal(forced.code, 0, show(forced));
		const check = await vouch(command('startup-check'), { extra: ['--json'] });
		assert.equal(check.code, 0, show(check));
		const report = parseJson(check) as { quarantined: { uuid: string; path: string }[] };
		const uuid = ecosystem.plugins.find((plugin) => plugin.id === DEMO_ROLES.blacklisted)?.uuid;
		const moved = report.quarantined.find((item) => item.uuid === uuid);
		assert.ok(moved !== undefined, show(check));
		assert.ok(existsSync(join(moved.path, 'MANIFEST.toml')), 'its files are kept');
	});
});

describe('a plugin blacklisted after it was installed', () => {
	it('is quarantined at the next startup check once the blacklist reaches the host', async () => {
		const community = ecosystem.plugins.find((plugin) => plugin.id === DEMO_ROLES.community);
		assert.equal((await installed(DEMO_ROLES.community))?.trust, 'community');
		// What blacklisting it on the admin pages publishes: one more entry, signed.
		const registry = readFileSync(join(dataDir, 'plugins.toml'), 'utf8');
		const entry = [
			'[[blacklist]]',
			`uuid = "${community?.uuid}"`,
			'reason = "Found mining cryptocurrency."',
			`blacklisted_at = "${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}"`,
			'',
		].join('\n');
		await publishRepository({
			registryText: `${registry}\n${entry}`,
			format: 'toml',
			keysDir: ecosystem.keysDir,
			outDir: join(dataDir, 'tuf'),
			now: clock(),
			reason: 'Blacklisted after a confirmed report.',
		});
		assert.equal((await vouch(['refresh'])).code, 0);
		const check = await vouch(command('startup-check'), { extra: ['--json'] });
		assert.equal(check.code, 0, show(check));
		const report = parseJson(check) as { quarantined: { uuid: string }[] };
		assert.ok(
			report.quarantined.some((item) => item.uuid === community?.uuid),
			show(check),
		);
		const text = demoInstructions({ baseUrl: server.baseUrl, dataDir });
		assert.match(text, /blacklist "genre-tidy" on the admin pages/);
	});
});

describe('preparing the ecosystem again', () => {
	it('reuses a complete ecosystem: same keys, same repositories', async () => {
		const keys = readFileSync(join(ecosystem.keysDir, 'keys.json'), 'utf8');
		const again = await prepareDemoEcosystem({ dataDir, clock: () => new Date() });
		assert.equal(again.reused, true);
		assert.equal(ecosystem.reused, false, 'the first start built it');
		assert.equal(readFileSync(join(again.keysDir, 'keys.json'), 'utf8'), keys);
		assert.deepEqual(again.plugins, ecosystem.plugins);
		assert.deepEqual(again.createdAt, ecosystem.createdAt);
	});

	it('leaves nothing behind when building fails, and the next start builds it whole', async () => {
		const dir = makeTempDir('vouch-demo-fail-');
		await assert.rejects(
			prepareDemoEcosystem({ dataDir: dir, clock, env: { PATH: join(dir, 'no-git-here') } }),
			(error: unknown) => (error as { code?: string }).code === 'GIT_NOT_INSTALLED',
		);
		assert.deepEqual(readdirSync(dir), [], 'no scratch, no ecosystem');
		const built = await prepareDemoEcosystem({ dataDir: dir, clock });
		assert.equal(built.reused, false);
		assert.equal((await prepareDemoEcosystem({ dataDir: dir, clock })).reused, true);
		// Without the log's signing key no publish could extend the log: rebuilt too.
		rmSync(join(built.keysDir, LOG_SIGNER_FILE));
		assert.equal((await prepareDemoEcosystem({ dataDir: dir, clock })).reused, false);
	});

	it('rebuilds one a crash left half-made, and removes the scratch left behind', async () => {
		const dir = makeTempDir('vouch-demo-crash-');
		// A complete ecosystem to damage: a copy of the one the tests above used (building one is
		// what the tests before this one check; a copy reads as complete all the same).
		cpSync(ecosystem.dir, join(dir, DEMO_ECOSYSTEM_DIR), { recursive: true });
		const first = await prepareDemoEcosystem({ dataDir: dir, clock });
		assert.equal(first.reused, true);
		const keys = readFileSync(join(first.keysDir, 'keys.json'), 'utf8');
		// A crash between building and renaming leaves a scratch directory...
		mkdirSync(join(dir, '.ecosystem-0123456789ab', 'keys'), { recursive: true });
		writeFileSync(join(dir, '.ecosystem-0123456789ab', 'keys', 'root-1.pem'), 'half');
		// ...and a damaged ecosystem: a private key lost.
		rmSync(join(first.keysDir, 'targets.pem'));
		const rebuilt = await prepareDemoEcosystem({ dataDir: dir, clock });
		assert.equal(rebuilt.reused, false);
		assert.notEqual(readFileSync(join(rebuilt.keysDir, 'keys.json'), 'utf8'), keys);
		assert.ok(existsSync(join(rebuilt.keysDir, 'targets.pem')));
		assert.deepEqual(
			readdirSync(dir).filter((name) => name.startsWith('.')),
			[],
			'no scratch left',
		);
		assert.ok(existsSync(join(dir, DEMO_ECOSYSTEM_DIR, 'ecosystem.json')));
	});
});
