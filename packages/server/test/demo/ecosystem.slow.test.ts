/**
 * The demo behind `npm start`, end to end: the ecosystem prepared in a temp dir, its registry
 * signed with its own keys into a TUF repository, served on 127.0.0.1 with the plugins' git
 * repositories, and the very commands the instructions print run through the real CLI. Each
 * must do what its line says. Also: a second start reuses the ecosystem, and one left
 * half-made by a crash is rebuilt.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
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
		assert.match(text, new RegExp(`Vouch demo registry: ${server.baseUrl}`));
		for (const args of printed()) {
			assert.ok(
				text.includes(`npx vouch ${args.join(' ')} --profile ${profile}`),
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
		assert.deepEqual(plugin.release, { state: 'verified', ref: 'v1.1.0' });
	});

	it('installs the trusted plugin once the person says yes', async () => {
		const run = await vouch(command('install', DEMO_ROLES.trusted), { stdin: 'y\n' });
		assert.equal(run.code, 0, show(run));
	});

	it('asks before the community plugin, and a no leaves nothing behind', async () => {
		const no = await vouch(command('install', DEMO_ROLES.community), { stdin: 'n\n' });
		assert.equal(no.code, 130, show(no));
		const yes = await vouch(command('install', DEMO_ROLES.community), { stdin: 'y\n' });
		assert.equal(yes.code, 0, show(yes));
	});

	it('refuses the plugin the scanner flags unless the findings are accepted', async () => {
		const run = await vouch(command('install', DEMO_ROLES.flagged), { extra: ['--yes', '--json'] });
		assert.notEqual(run.code, 0, show(run));
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		const human = await vouch(command('install', DEMO_ROLES.flagged), { stdin: 'y\nn\n' });
		assert.equal(human.code, 130, show(human));
		assert.match(human.stderr, /high/);
	});

	it('refuses the blacklisted plugin with its reason and exit code 3', async () => {
		const run = await vouch(command('install', DEMO_ROLES.blacklisted), { extra: ['--json'] });
		assert.equal(run.code, 3, show(run));
		assert.equal(errorCode(run), 'BLACKLISTED');
		const human = await vouch(command('install', DEMO_ROLES.blacklisted));
		assert.match(human.stderr, /music library to a third party/);
	});

	it('installs the unregistered plugin by its URL after the strongest warning', async () => {
		const run = await vouch(command('install', `${server.baseUrl}git/${DEMO_ROLES.unregistered}.git`), {
			stdin: 'y\n',
		});
		assert.equal(run.code, 0, show(run));
		assert.match(run.stderr, /unregistered|not in any registry|no registry/i);
	});

	it('lists what is installed with trust levels', async () => {
		const run = await vouch(command('list'), { extra: ['--json'] });
		assert.equal(run.code, 0, show(run));
		console.log(run.stdout);
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

	it('rebuilds one a crash left half-made, and removes the scratch left behind', async () => {
		const dir = makeTempDir('vouch-demo-crash-');
		const first = await prepareDemoEcosystem({ dataDir: dir, clock });
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
