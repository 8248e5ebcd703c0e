/**
 * `createVouch` end to end, through the public entry only: a real profile file, a real registry
 * file, real plugin repositories fetched by real git over the smart-HTTP test server. Every
 * operation runs against the same world, in the order a host would use them.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	type ConfirmQuestion,
	createLifecycleGit,
	createVouch,
	hasCode,
	type LifecycleGit,
	missingConsent,
	type Prompter,
	type Vouch,
	type VouchOptions,
} from '../../src/index.ts';
import { createHostWorld, type HostServedPlugin, type HostWorld } from '../helpers/host-world.ts';

const ALPHA = { name: 'alpha', uuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' };
const BETA = { name: 'beta', uuid: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e' };
/** Any fixed date: the registry is a local file, read (and so fresh) at every load. */
const NOW = new Date('2031-03-04T05:06:07Z');

let world: HostWorld;
let alpha: HostServedPlugin;
let beta: HostServedPlugin;

function vouchFor(extra: Partial<VouchOptions> = {}): Vouch {
	return createVouch({
		profile: world.profileFile,
		env: world.env,
		cwd: world.root,
		now: () => NOW,
		fetch: async () => {
			throw new Error('the registry is a local file: no HTTP request is expected');
		},
		...extra,
	});
}

/** A person at the host's own dialog, answering every question the same way. */
function answering(answer: boolean, asked: ConfirmQuestion[]): Prompter {
	return {
		interactive: true,
		confirm: async (question) => {
			asked.push(question);
			return answer;
		},
	};
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	assert.fail('expected the operation to fail');
}

describe('createVouch', () => {
	before(async () => {
		world = await createHostWorld();
		alpha = world.serve(ALPHA);
		beta = world.serve(BETA);
		world.writeRegistry([alpha, beta]);
	});
	after(() => world?.close());

	it('reads the profile file it is given', () => {
		const vouch = vouchFor();
		assert.equal(vouch.profile.name, 'testhost');
		assert.equal(vouch.profile.pluginsDir, world.pluginsDir);
	});

	it('refuses a community install without a prompter, naming the consent, and changes nothing', async () => {
		const error = await rejection(vouchFor().install('alpha'));
		assert.ok(hasCode(error, 'CONFIRMATION_REQUIRED'), String(error));
		assert.equal(missingConsent(error), 'trust-warning');
		assert.match(error.hint ?? '', /yes: true/);
		// A host has no terminal: the message speaks of none.
		assert.doesNotMatch(error.message, /terminal/);
		assert.match(error.message, /needs your confirmation/);
		assert.deepEqual(await vouchFor().list(), []);
		const placed = existsSync(world.pluginsDir) ? readdirSync(world.pluginsDir) : [];
		assert.deepEqual(
			placed.filter((name) => !name.startsWith('.')),
			[],
		);
	});

	it('asks the host’s prompter, and a no is DECLINED', async () => {
		const asked: ConfirmQuestion[] = [];
		const error = await rejection(vouchFor({ prompter: answering(false, asked) }).install('alpha'));
		assert.ok(hasCode(error, 'DECLINED'));
		assert.equal(asked.length, 1);
		assert.match(asked[0]?.message ?? '', /alpha/);
	});

	it('installs from the registry over git: files on disk, a record, enabled', async () => {
		const warnings: string[] = [];
		const vouch = vouchFor({
			reporter: { progress: () => {}, info: () => {}, warn: (text) => warnings.push(text) },
		});
		const result = await vouch.install('alpha', { yes: true });
		assert.equal(result.plugin.uuid, ALPHA.uuid);
		assert.equal(result.enabled, true);
		assert.equal(result.trust.level, 'community');
		assert.equal(result.plugin.source.commit, alpha.repo.commitOf());
		assert.ok(existsSync(join(result.path, 'MANIFEST.toml')));
		assert.ok(result.path.startsWith(world.pluginsDir));
		assert.ok(warnings.length > 0, 'the trust warning is reported even with yes');
	});

	it('installs with a prompter that agrees, without `yes`, through the git it is given', async () => {
		const asked: ConfirmQuestion[] = [];
		const real = createLifecycleGit({ env: world.env, cwd: world.root }, false);
		const cloned: string[] = [];
		const git: LifecycleGit = {
			...real,
			clone: (request) => {
				cloned.push(request.url);
				return real.clone(request);
			},
		};
		const result = await vouchFor({ prompter: answering(true, asked), git }).install('beta');
		assert.equal(result.plugin.uuid, BETA.uuid);
		assert.equal(asked.length, 1);
		assert.deepEqual(cloned, [beta.url]);
	});

	it('lists what is installed with today’s trust', async () => {
		const rows = await vouchFor().list();
		assert.deepEqual(
			rows.map((row) => [row.plugin.name, row.enabled, row.trust, row.blacklisted]),
			[
				['alpha', true, 'community', undefined],
				['beta', true, 'community', undefined],
			],
		);
	});

	it('disables and enables', async () => {
		const vouch = vouchFor();
		await vouch.disable('alpha');
		assert.equal((await vouch.list()).find((row) => row.plugin.name === 'alpha')?.enabled, false);
		await vouch.enable('alpha');
		assert.equal((await vouch.list()).find((row) => row.plugin.name === 'alpha')?.enabled, true);
	});

	it('updates to a new commit unattended when it asks for nothing new', async () => {
		const next = world.release(alpha, { 'extra.py': 'VALUE = 2\n' });
		const outcome = await vouchFor().update('alpha');
		assert.equal(outcome.status, 'updated');
		assert.equal(outcome.plugin.source.commit, next);
		const again = await vouchFor().update('alpha', { yes: true });
		assert.equal(again.status, 'up-to-date');
	});

	it('scans an installed plugin by name without running it', async () => {
		const report = await vouchFor().scan('alpha');
		assert.equal(report.manifest.status, 'valid');
		assert.ok(report.files.scanned >= 2, `scanned ${report.files.scanned}`);
		assert.ok(report.root.startsWith(world.pluginsDir));
	});

	it('refreshes the registry now', async () => {
		const result = await vouchFor().refresh();
		assert.equal(result.plugins, 2);
		assert.equal(result.blacklistEntries, 0);
		assert.equal(result.registry.signed, false);
		assert.equal(result.registry.blacklistFreshness, 'fresh');
	});

	it('checks the blacklist by UUID and URL', async () => {
		world.writeRegistry(
			[alpha, beta],
			[{ uuid: BETA.uuid, reason: 'Leaks data', severity: 'soft' }],
		);
		const vouch = vouchFor();
		const blocked = await vouch.checkBlacklist({ uuid: BETA.uuid });
		assert.equal(blocked.verdict.blocked, true);
		assert.equal(blocked.verdict.blocked && blocked.verdict.reason, 'Leaks data');
		assert.equal((await vouch.checkBlacklist({ url: alpha.url })).verdict.blocked, false);
		// Another spelling of the UUID would match no entry: refused, never "not blocked".
		const braced = await rejection(vouch.checkBlacklist({ uuid: `{${BETA.uuid}}` }));
		assert.ok(hasCode(braced, 'INVALID_UUID'), String(braced));
	});

	it('startup check disables a plugin blacklisted since it was installed', async () => {
		const report = await vouchFor().startupCheck();
		assert.deepEqual(
			report.load.map((item) => item.uuid),
			[ALPHA.uuid],
		);
		assert.deepEqual(
			report.disabled.map((item) => [item.uuid, item.kind, item.reason]),
			[[BETA.uuid, 'blacklist', 'Leaks data']],
		);
		const beta = (await vouchFor().list()).find((row) => row.plugin.uuid === BETA.uuid);
		assert.equal(beta?.enabled, false);
		assert.deepEqual(beta?.blacklisted, { reason: 'Leaks data', severity: 'soft' });
	});

	it('refuses to enable a soft-blacklisted plugin unattended, naming the consent', async () => {
		const error = await rejection(vouchFor().enable('beta'));
		assert.ok(hasCode(error, 'CONFIRMATION_REQUIRED'), String(error));
		assert.equal(missingConsent(error), 'soft-blacklisted');
		await vouchFor().enable('beta', { yes: true });
		await vouchFor().disable('beta');
	});

	it('watches: each round is the startup check, handed to the host', async () => {
		const reports: number[] = [];
		const watch = vouchFor().watch({
			onReport: (report) => reports.push(report.load.length),
			intervalMs: 60 * 60 * 1000,
		});
		try {
			const report = await watch.checkNow();
			assert.deepEqual(
				report.load.map((item) => item.uuid),
				[ALPHA.uuid],
			);
			assert.deepEqual(reports, [1]);
		} finally {
			watch.stop();
		}
	});

	it('uninstalls: the record and the files go', async () => {
		const vouch = vouchFor();
		const path = (await vouch.list()).find((row) => row.plugin.name === 'alpha')?.path;
		assert.ok(path !== undefined && existsSync(path));
		const result = await vouch.uninstall('alpha');
		assert.equal(result.filesRemoved, true);
		assert.equal(existsSync(path), false);
		assert.deepEqual(
			(await vouch.list()).map((row) => row.plugin.name),
			['beta'],
		);
		const missing = await rejection(vouch.uninstall('alpha'));
		assert.ok(hasCode(missing, 'NOT_INSTALLED'));
	});
});
