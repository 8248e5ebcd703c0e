/**
 * Per-commit blocks and what users are told: a `commit` entry blocks exactly the
 * fetched commit (install and update, checked after the fetch since no commit is known before
 * it), and `list`, `info`, `startup-check` and `check-blacklist` carry the reason, severity,
 * incident link and advice, sanitised. A soft block disables; `enable` shows the reason and
 * advice and, once accepted, the next startup check keeps it enabled; a hard one never passes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { assertJsonOutput } from '../json/schema-check.ts';
import { createWorld, type PluginSpec, registryEntry, type World } from './world.ts';

let world: World;
const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;

function vouch(...args: string[]): Promise<CliRun> {
	return world.vouch([...args, '--registry', world.registryFile, '--yes', '--json']);
}

/** `vouch enable taken --yes` as a user types it, in text: the soft block is accepted. */
function enableTaken(): Promise<CliRun> {
	return world.vouch(['enable', 'taken', '--registry', world.registryFile, '--yes']);
}

const TAKEN: PluginSpec = { name: 'taken', uuid: '5e6f7a8b-9c0d-4e1f-8a2b-4c5d6e7f8091' };
const INCIDENT = 'https://registry.example/incidents/41';
const ADVICE = 'Rotate the tokens this plugin could read.';

describe('commit-scoped entries and the incident fields users see', () => {
	before(async () => {
		world = await createWorld();
	});
	after(() => world.close());

	it('blocks install of exactly the named commit (checked after the fetch), and not its neighbours', async () => {
		const served = world.serve(TAKEN);
		const good = served.repo.commitOf();
		const bad = served.repo.commit({ 'stolen.py': 'token = 1\n' });
		world.publish(served);
		const entry = registryEntry(served, TAKEN);
		const block = {
			uuid: TAKEN.uuid,
			commit: bad.toUpperCase(),
			reason: 'Account takeover: this commit sends tokens away',
			incident: INCIDENT,
			advice: ADVICE,
		};
		world.writeRegistry([entry], [block]);
		const refused = await vouch('install', 'taken');
		assert.equal(refused.code, 3, refused.stdout + refused.stderr);
		assert.equal(code(refused), 'BLACKLISTED');
		assert.equal((await world.state()).plugins[TAKEN.uuid], undefined);

		// The good commit installs: the entry is scoped to the bad one.
		const pinned = await vouch('install', 'taken', '--ref', good);
		assert.equal(pinned.code, 0, pinned.stdout + pinned.stderr);
		assert.equal((await world.state()).plugins[TAKEN.uuid]?.source.commit, good);
		const check = await world.vouch([
			'check-blacklist',
			'--uuid',
			TAKEN.uuid,
			'--commit',
			bad,
			'--registry',
			world.registryFile,
			'--json',
		]);
		const verdict = assertJsonOutput(check, 'check-blacklist');
		assert.equal(check.code, 3);
		assert.deepEqual(verdict.matchedOn, ['uuid', 'commit']);
		assert.equal(verdict.incident, INCIDENT);
		assert.equal(verdict.advice, ADVICE);
		const clean = await world.vouch([
			'check-blacklist',
			'--uuid',
			TAKEN.uuid,
			'--commit',
			good,
			'--registry',
			world.registryFile,
		]);
		assert.equal(clean.code, 0, clean.stdout + clean.stderr);
	});

	it('refuses an update onto a blocked commit, and allows the one after it', async () => {
		const spec: PluginSpec = { name: 'moving', uuid: '6f7a8b9c-0d1e-4f2a-9b3c-5d6e7f809102' };
		const served = world.serve(spec);
		world.publish(served);
		const entry = registryEntry(served, spec);
		world.writeRegistry([entry], []);
		assert.equal((await vouch('install', 'moving')).code, 0);
		const bad = served.repo.commit({ 'stolen.py': 'token = 1\n' });
		world.publish(served);
		world.writeRegistry([entry], [{ uuid: spec.uuid, commit: bad, reason: 'Hijacked push' }]);
		const refused = await vouch('update', 'moving');
		assert.equal(refused.code, 3, refused.stdout + refused.stderr);
		assert.equal(code(refused), 'BLACKLISTED');
		assert.notEqual((await world.state()).plugins[spec.uuid]?.source.commit, bad);
		const fixed = served.repo.commit({ 'stolen.py': null });
		world.publish(served);
		const update = await vouch('update', 'moving');
		assert.equal(update.code, 0, update.stdout + update.stderr);
		assert.equal((await world.state()).plugins[spec.uuid]?.source.commit, fixed);
		const removed = await world.vouch(['uninstall', 'moving', '--json']);
		assert.equal(removed.code, 0, removed.stdout + removed.stderr);
	});

	it('a soft block: startup-check disables with the reason, link and advice; list and info show them', async () => {
		const state = await world.state();
		const installed = state.plugins[TAKEN.uuid];
		assert.ok(installed);
		const registry = [
			registryEntry({ url: installed.source.url } as Parameters<typeof registryEntry>[0], TAKEN),
		];
		const soft = {
			uuid: TAKEN.uuid,
			commit: installed.source.commit,
			severity: 'soft',
			reason: 'Under review\u001b[31m after reports',
			incident: INCIDENT,
			advice: ADVICE,
		};
		world.writeRegistry(registry, [soft]);
		const startup = await world.vouch([
			'startup-check',
			'--registry',
			world.registryFile,
			'--json',
		]);
		const report = assertJsonOutput(startup, 'startup-check') as {
			disabled: Record<string, unknown>[];
			quarantined: unknown[];
		};
		const [disabled] = report.disabled;
		assert.equal(disabled?.uuid, TAKEN.uuid);
		assert.equal(disabled?.kind, 'blacklist');
		assert.equal(disabled?.severity, 'soft');
		assert.equal(disabled?.reason, 'Under review after reports');
		assert.equal(disabled?.incident, INCIDENT);
		assert.equal(disabled?.advice, ADVICE);
		assert.deepEqual(report.quarantined, []);
		// The next check has nothing new to say about it.
		const again = await world.vouch(['startup-check', '--registry', world.registryFile, '--json']);
		assert.deepEqual((assertJsonOutput(again, 'startup-check') as typeof report).disabled, []);

		const list = await world.vouch(['list', '--registry', world.registryFile, '--json']);
		const row = (
			assertJsonOutput(list, 'list').plugins as { uuid: string; blacklisted: unknown }[]
		).find((plugin) => plugin.uuid === TAKEN.uuid);
		assert.deepEqual(row?.blacklisted, {
			reason: 'Under review after reports',
			severity: 'soft',
			entry: 0,
			incident: INCIDENT,
			advice: ADVICE,
		});
		const human = await world.vouch(['list', '--registry', world.registryFile]);
		assert.match(human.stdout, /Advice: Rotate the tokens this plugin could read\./);
		assert.match(human.stdout, /Incident: https:\/\/registry\.example\/incidents\/41/);
		assert.ok(!human.stdout.includes('\u001b[31m'), 'the escape is stripped');
		const info = await world.vouch(['info', 'taken', '--registry', world.registryFile, '--json']);
		const shown = assertJsonOutput(info, 'info') as {
			installed: { blacklisted: { incident?: string; advice?: string } };
		};
		assert.equal(shown.installed.blacklisted.incident, INCIDENT);
		assert.equal(shown.installed.blacklisted.advice, ADVICE);
		const infoText = await world.vouch(['info', 'taken', '--registry', world.registryFile]);
		assert.match(infoText.stdout, /Advice: Rotate the tokens/);
	});

	it('enable shows the reason and advice; accepted, the startup check keeps it; a new entry disables it again', async () => {
		const enable = await enableTaken();
		assert.equal(enable.code, 0, enable.stdout + enable.stderr);
		assert.match(enable.stderr, /not recommended: Under review after reports/);
		assert.match(enable.stderr, /Advice: Rotate the tokens/);
		assert.match(enable.stderr, /Incident: https:\/\/registry\.example\/incidents\/41/);
		const kept = await world.vouch(['startup-check', '--registry', world.registryFile, '--json']);
		const keptReport = assertJsonOutput(kept, 'startup-check') as {
			load: { uuid: string }[];
			disabled: unknown[];
			warnings: string[];
		};
		assert.deepEqual(keptReport.disabled, []);
		assert.ok(keptReport.load.some((item) => item.uuid === TAKEN.uuid));
		assert.ok(keptReport.warnings.some((warning) => /chose to keep it enabled/.test(warning)));

		// The entry's reason changes: the user's earlier choice was about another text.
		const state = await world.state();
		const installed = state.plugins[TAKEN.uuid];
		assert.ok(installed);
		const registry = [
			registryEntry({ url: installed.source.url } as Parameters<typeof registryEntry>[0], TAKEN),
		];
		world.writeRegistry(registry, [
			{ uuid: TAKEN.uuid, severity: 'soft', reason: 'Confirmed: do not use', advice: ADVICE },
		]);
		const changed = await world.vouch([
			'startup-check',
			'--registry',
			world.registryFile,
			'--json',
		]);
		const changedReport = assertJsonOutput(changed, 'startup-check') as { disabled: unknown[] };
		assert.equal(changedReport.disabled.length, 1);
	});

	it('a second soft entry after the one the user accepted disables the plugin again', async () => {
		const state = await world.state();
		const installed = state.plugins[TAKEN.uuid];
		assert.ok(installed);
		const registry = [
			registryEntry({ url: installed.source.url } as Parameters<typeof registryEntry>[0], TAKEN),
		];
		const first = { uuid: TAKEN.uuid, severity: 'soft', reason: 'Old notice' };
		world.writeRegistry(registry, [first]);
		const enable = await enableTaken();
		assert.equal(enable.code, 0, enable.stdout + enable.stderr);
		const kept = await world.vouch(['startup-check', '--registry', world.registryFile, '--json']);
		assert.deepEqual((assertJsonOutput(kept, 'startup-check') as { disabled: [] }).disabled, []);

		// Later in the file, so not the verdict's own entry: the user has never read it (D4).
		const second = { url: installed.source.url, severity: 'soft', reason: 'Under investigation' };
		world.writeRegistry(registry, [first, second]);
		const startup = await world.vouch([
			'startup-check',
			'--registry',
			world.registryFile,
			'--json',
		]);
		const report = assertJsonOutput(startup, 'startup-check') as { disabled: unknown[] };
		assert.equal(report.disabled.length, 1, startup.stdout);
		// Enabling again shows both reasons before the user agrees.
		const again = await world.vouch(['enable', 'taken', '--registry', world.registryFile, '--yes']);
		assert.equal(again.code, 0, again.stdout + again.stderr);
		assert.match(again.stderr, /Old notice/);
		assert.match(again.stderr, /Under investigation/);
		const after = await world.vouch(['startup-check', '--registry', world.registryFile, '--json']);
		assert.deepEqual((assertJsonOutput(after, 'startup-check') as { disabled: [] }).disabled, []);
	});

	it('startup-check names every soft entry that matched, as enable does, sanitised', async () => {
		const state = await world.state();
		const installed = state.plugins[TAKEN.uuid];
		assert.ok(installed);
		const registry = [
			registryEntry({ url: installed.source.url } as Parameters<typeof registryEntry>[0], TAKEN),
		];
		const soft = [
			{ uuid: TAKEN.uuid, severity: 'soft', reason: 'First notice', advice: ADVICE },
			{ url: installed.source.url, severity: 'soft', reason: 'Second\u001b[31m notice' },
			{ uuid: TAKEN.uuid, severity: 'soft', reason: 'Third notice' },
		];
		world.writeRegistry(registry, soft);
		const text = await world.vouch(['startup-check', '--registry', world.registryFile]);
		assert.equal(text.code, 0, text.stderr);
		assert.match(text.stdout, /disabled .*\(soft block\): First notice/);
		assert.match(text.stdout, /Also not recommended: Second notice/);
		assert.match(text.stdout, /Also not recommended: Third notice/);
		assert.ok(!text.stdout.includes('\u001b'), 'the escape is stripped');
		// list and info name them all as well, in text and in --json.
		for (const args of [['list'], ['info', 'taken']]) {
			const human = await world.vouch([...args, '--registry', world.registryFile]);
			assert.match(human.stdout, /Also not recommended: Second notice/, args.join(' '));
			assert.match(human.stdout, /Also not recommended: Third notice/, args.join(' '));
		}
		const list = await world.vouch(['list', '--registry', world.registryFile, '--json']);
		const row = (
			assertJsonOutput(list, 'list').plugins as { uuid: string; blacklisted: unknown }[]
		).find((plugin) => plugin.uuid === TAKEN.uuid);
		assert.deepEqual(row?.blacklisted, {
			reason: 'First notice',
			severity: 'soft',
			entry: 0,
			advice: ADVICE,
			alsoSoftReasons: ['Second notice', 'Third notice'],
		});
		const info = await world.vouch(['info', 'taken', '--registry', world.registryFile, '--json']);
		const shown = assertJsonOutput(info, 'info') as {
			installed: { blacklisted: { alsoSoftReasons?: string[] } };
		};
		assert.deepEqual(shown.installed.blacklisted.alsoSoftReasons, [
			'Second notice',
			'Third notice',
		]);

		// Accepted, the reminder names them all too.
		const enable = await enableTaken();
		assert.equal(enable.code, 0, enable.stdout + enable.stderr);
		const kept = await world.vouch(['startup-check', '--registry', world.registryFile, '--json']);
		const keptReport = assertJsonOutput(kept, 'startup-check') as { warnings: string[] };
		const reminder = keptReport.warnings.find((warning) => /chose to keep it/.test(warning));
		assert.match(reminder ?? '', /First notice.*Second notice.*Third notice/);

		// A fourth entry disables it again; the document lists every reason, the old fields kept.
		world.writeRegistry(registry, [
			...soft,
			{ uuid: TAKEN.uuid, severity: 'soft', reason: 'Fourth' },
		]);
		const json = await world.vouch(['startup-check', '--registry', world.registryFile, '--json']);
		const report = assertJsonOutput(json, 'startup-check') as {
			disabled: Record<string, unknown>[];
		};
		const [disabled] = report.disabled;
		assert.equal(disabled?.reason, 'First notice');
		assert.equal(disabled?.severity, 'soft');
		assert.equal(disabled?.advice, ADVICE);
		assert.deepEqual(disabled?.alsoSoftReasons, ['Second notice', 'Third notice', 'Fourth']);
	});

	it('a hard block quarantines; enable --yes refuses it with the advice in the hint', async () => {
		const state = await world.state();
		const installed = state.plugins[TAKEN.uuid];
		assert.ok(installed);
		const registry = [
			registryEntry({ url: installed.source.url } as Parameters<typeof registryEntry>[0], TAKEN),
		];
		world.writeRegistry(registry, [
			{ uuid: TAKEN.uuid, reason: 'Malware', incident: INCIDENT, advice: ADVICE },
		]);
		const enable = await world.vouch([
			'enable',
			'taken',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(enable.code, 3, enable.stdout + enable.stderr);
		assert.equal(code(enable), 'BLACKLISTED');
		const startup = await world.vouch(['startup-check', '--registry', world.registryFile]);
		assert.equal(startup.code, 0, startup.stderr);
		assert.match(startup.stdout, /disabled .*\(hard block\): Malware/);
		assert.match(startup.stdout, /Incident: https:\/\/registry\.example\/incidents\/41/);
		assert.match(startup.stdout, /quarantined/);
		assert.equal((await world.state()).plugins[TAKEN.uuid]?.state, 'quarantined');
	});
	it('an install refused by several soft entries names every reason, in text and --json', async () => {
		const spec: PluginSpec = { name: 'advised', uuid: '7a8b9c0d-1e2f-4a3b-8c4d-6e7f8091a2b3' };
		const served = world.serve(spec);
		world.publish(served);
		world.writeRegistry(
			[registryEntry(served, spec)],
			[
				{ uuid: spec.uuid, severity: 'soft', reason: 'First concern' },
				{ url: served.url, severity: 'soft', reason: 'Second\u001b[31m concern' },
				{ uuid: spec.uuid, severity: 'soft', reason: 'Third concern' },
			],
		);
		const json = await vouch('install', 'advised');
		assert.equal(json.code, 3, json.stdout + json.stderr);
		const error = parseJson(json).error as {
			code: string;
			message: string;
			details: { reasons?: string[]; severity?: string };
		};
		assert.equal(error.code, 'BLACKLISTED');
		assert.equal(error.details.severity, 'soft');
		assert.deepEqual(error.details.reasons, ['First concern', 'Second concern', 'Third concern']);
		assert.match(error.message, /First concern.*Second concern.*Third concern/);
		const text = await world.vouch([
			'install',
			'advised',
			'--registry',
			world.registryFile,
			'--yes',
		]);
		assert.equal(text.code, 3, text.stdout + text.stderr);
		for (const reason of ['First concern', 'Second concern', 'Third concern']) {
			assert.match(text.stderr, new RegExp(reason));
		}
		assert.ok(!text.stderr.includes('\u001b[31m'), 'the escape is stripped');
		assert.equal((await world.state()).plugins[spec.uuid], undefined);
	});
});
