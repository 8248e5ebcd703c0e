/**
 * Rapid response (D23, issue 13 §4): a running host's watch asks a real signed TUF repository,
 * served on 127.0.0.1, whether it changed. An unchanged repository costs one conditional
 * request answered 304 and nothing more; a published blacklist entry is refreshed in full
 * (TUF verified) and applied without a restart: a hard block disables and quarantines, a soft
 * one disables, each with its reason, incident link and advice. A failed poll or refresh keeps
 * the last verified state, says so, and is retried at the next poll.
 */
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { createVouch, type Vouch } from '../../src/index.ts';
import type { StartupReport } from '../../src/lifecycle/startup-check.ts';
import { createHostWorld, type HostWorld } from '../helpers/host-world.ts';
import { makeFixture, plugin, type TufFixture } from '../tuf/helpers.ts';

const ALPHA = { name: 'alpha', uuid: 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f' };
const BETA = { name: 'beta', uuid: 'd2e3f4a5-b6c7-4d8e-9f0a-1b2c3d4e5f60' };
const INCIDENT = 'https://registry.example/incidents/3';
const ADVICE = 'Rotate the tokens this plugin could read.';
const TIMESTAMP = '/metadata/timestamp.json';

let world: HostWorld;
let fixture: TufFixture;
let signedProfile: string;
/** One clock for publishing and reading: the repository's expiry is judged against it. */
const NOW = new Date();

const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

function entryToml(entry: Record<string, unknown>): string {
	const lines = Object.entries(entry).map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
	return `[[blacklist]]\n${lines.join('\n')}\nblacklisted_at = 2026-01-01T00:00:00Z\n`;
}

/** The signed registry: two unrelated plugins, and these blacklist entries. */
function registryWith(entries: Record<string, unknown>[]): string {
	const plugins = [plugin('gamma', 'e3f4a5b6-c7d8-4e9f-8a1b-2c3d4e5f6071')]
		.map(
			(entry) =>
				`[[plugins]]\n${Object.entries(entry)
					.map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
					.join('\n')}\n`,
		)
		.join('\n');
	return `api_version = "3.0"\n\n${plugins}\n${entries.map(entryToml).join('\n')}`;
}

function signedVouch(): Vouch {
	return createVouch({
		profile: signedProfile,
		env: world.env,
		cwd: world.root,
		now: () => NOW,
		fetch: loopbackFetch,
	});
}

/** The highest-numbered `<n>.<name>` in the repository's metadata. */
function newest(name: string): string {
	const numbered = readdirSync(join(fixture.repoDir, 'metadata'))
		.filter((file) => file.endsWith(`.${name}`))
		.sort((a, b) => Number.parseInt(b, 10) - Number.parseInt(a, 10));
	return numbered[0] as string;
}

/**
 * Statuses of the timestamp requests answered since `from`. A request is logged when it
 * arrives, with status 0 until it is answered, so a poll still in flight (or cut off by
 * `stop()`) is left out.
 */
function timestampAnswers(from: number): number[] {
	return fixture.server.requests
		.map((path, index) => ({ path, status: fixture.server.statuses[index] }))
		.slice(from)
		.filter((request) => request.path === TIMESTAMP && request.status !== 0)
		.map((request) => request.status as number);
}

describe('watchInstalledPlugins polls a signed registry', () => {
	before(async () => {
		world = await createHostWorld();
		const alpha = world.serve(ALPHA);
		const beta = world.serve(BETA);
		world.writeRegistry([alpha, beta]);
		// Installed while the host read its unsigned local registry...
		const unsigned = createVouch({
			profile: world.profileFile,
			env: world.env,
			cwd: world.root,
			now: () => NOW,
			fetch: loopbackFetch,
		});
		await unsigned.install('alpha', { yes: true });
		await unsigned.install('beta', { yes: true });
		// ...which now reads a signed repository instead, with the same plugins directory.
		fixture = await makeFixture();
		await fixture.publish(registryWith([]), NOW);
		signedProfile = join(world.root, 'signed.toml');
		writeFileSync(
			signedProfile,
			[
				'name = "signedhost"',
				'api_versions = ["3.0"]',
				`registry_urls = ["${fixture.server.base}"]`,
				`trusted_root = "${join(fixture.dir, 'shipped-root.json')}"`,
				'allow_unsigned = false',
				'categories = ["metadata", "other"]',
				'plugins_dir = "state/plugins"',
				'data_dir = "state/data"',
				'cache_dir = "state/signed-cache"',
				'config_dir = "state/config"',
				'',
			].join('\n'),
		);
	});
	after(async () => {
		await fixture?.close();
		await world?.close();
	});

	it('at its interval: the first poll refreshes, then unchanged polls are 304s and nothing more', async () => {
		const reports: StartupReport[] = [];
		const errors: unknown[] = [];
		const from = fixture.server.requests.length;
		const watch = signedVouch().watch({
			onReport: (report) => reports.push(report),
			onError: (error) => errors.push(error),
			pollIntervalMs: 5,
			intervalMs: 60 * 60 * 1000,
		});
		try {
			// No time bound: the timer polls until three 304s have been answered.
			while (timestampAnswers(from).filter((status) => status === 304).length < 3) {
				await delay(5);
			}
		} finally {
			watch.stop();
		}
		assert.deepEqual(errors, []);
		assert.equal(reports.length, 1, 'one round, for the first answer only');
		assert.deepEqual(reports[0]?.load.map((item) => item.name).sort(), ['alpha', 'beta']);
		const answers = timestampAnswers(from);
		assert.equal(answers[0], 200);
		assert.ok(answers.slice(-3).every((status) => status === 304));
		// After the one refresh, every request was the conditional timestamp request.
		const afterRefresh = fixture.server.requests.slice(from);
		const lastOther = afterRefresh.findLastIndex((path) => path !== TIMESTAMP);
		const firstNotModified = afterRefresh.findIndex(
			(path, index) => path === TIMESTAMP && fixture.server.statuses[from + index] === 304,
		);
		assert.ok(lastOther < firstNotModified, afterRefresh.join(' '));
	});

	it('applies a published hard and soft block without a restart, with reason, link and advice', async () => {
		const errors: unknown[] = [];
		const watch = signedVouch().watch({
			onReport: () => {},
			onError: (error) => errors.push(error),
		});
		try {
			// Learn the current state first, so the next poll compares against it.
			await watch.pollNow();
			const quiet = fixture.server.requests.length;
			assert.equal(await watch.pollNow(), undefined);
			assert.deepEqual(timestampAnswers(quiet), [304]);

			await fixture.publish(
				registryWith([
					{
						uuid: ALPHA.uuid,
						reason: 'Steals tokens',
						incident: INCIDENT,
						advice: ADVICE,
					},
					{ uuid: BETA.uuid, severity: 'soft', reason: 'Under review', incident: INCIDENT },
				]),
				NOW,
			);
			const report = await watch.pollNow();
			assert.ok(report !== undefined, 'a changed registry leads to a round');
			assert.deepEqual(report.load, []);
			const byName = new Map(report.disabled.map((item) => [item.name, item]));
			assert.deepEqual(
				{ ...byName.get('alpha'), uuid: undefined },
				{
					uuid: undefined,
					name: 'alpha',
					kind: 'blacklist',
					reason: 'Steals tokens',
					severity: 'hard',
					incident: INCIDENT,
					advice: ADVICE,
				},
			);
			assert.equal(byName.get('beta')?.severity, 'soft');
			assert.equal(byName.get('beta')?.incident, INCIDENT);
			assert.deepEqual(
				report.quarantined.map((item) => [item.name, item.reason, item.incident]),
				[['alpha', 'Steals tokens', INCIDENT]],
			);
			const rows = await signedVouch().list();
			assert.equal(rows.find((row) => row.plugin.uuid === ALPHA.uuid)?.plugin.state, 'quarantined');
			const beta = rows.find((row) => row.plugin.uuid === BETA.uuid);
			assert.equal(beta?.plugin.state, 'active');
			assert.equal(beta?.enabled, false);
			assert.deepEqual(beta?.blacklisted, {
				reason: 'Under review',
				severity: 'soft',
				incident: INCIDENT,
			});
			assert.deepEqual(errors, []);
			// Applied once: the next poll is a 304 again.
			assert.equal(await watch.pollNow(), undefined);
		} finally {
			watch.stop();
		}
	});

	it('a failed poll keeps the last verified state and says so', async () => {
		const errors: { code?: string }[] = [];
		const watch = signedVouch().watch({
			onReport: () => assert.fail('no round may run on a failed poll'),
			onError: (error) => errors.push(error as { code?: string }),
			intervalMs: 60 * 60 * 1000,
		});
		fixture.server.override(TIMESTAMP, { status: 503 });
		try {
			assert.equal(await watch.pollNow(), undefined);
		} finally {
			fixture.server.clear(TIMESTAMP);
			watch.stop();
		}
		assert.deepEqual(
			errors.map((error) => error.code),
			['REGISTRY_POLL_FAILED'],
		);
		const rows = await signedVouch().list();
		assert.equal(rows.find((row) => row.plugin.uuid === ALPHA.uuid)?.plugin.state, 'quarantined');
	});

	it('a refresh that fails after a change is reported, keeps the last good state, and is tried again', async () => {
		const errors: { code?: string }[] = [];
		const reports: StartupReport[] = [];
		let newestSnapshot = '';
		const watch = signedVouch().watch({
			onReport: (report) => reports.push(report),
			onError: (error) => errors.push(error as { code?: string }),
			intervalMs: 60 * 60 * 1000,
		});
		try {
			await watch.pollNow();
			reports.length = 0;
			// A new version whose snapshot cannot be read: the timestamp says "changed".
			await fixture.publish(registryWith([{ uuid: ALPHA.uuid, reason: 'Steals tokens' }]), NOW);
			// Consistent snapshots: the new version's file is `<n>.snapshot.json`.
			newestSnapshot = `/metadata/${newest('snapshot.json')}`;
			fixture.server.override(newestSnapshot, { status: 500 });
			const first = await watch.pollNow();
			assert.ok(first !== undefined);
			assert.ok(errors.length >= 1, 'the failed refresh is reported');
			// The last verified blacklist still holds: beta stays off, nothing new loads.
			assert.deepEqual(first.load, []);
			const before = fixture.server.requests.length;
			const second = await watch.pollNow();
			assert.ok(second !== undefined, 'the change is not hidden behind a 304');
			// The poll's own request is answered in full again (the refresh then reads it too).
			assert.equal(timestampAnswers(before)[0], 200);
			assert.ok(errors.length >= 2, 'the second failed refresh is reported too');
		} finally {
			fixture.server.clear(newestSnapshot);
			watch.stop();
		}
		// Once the repository is readable again, the refresh succeeds and the polls go quiet.
		const watch2 = signedVouch().watch({ onReport: () => {}, intervalMs: 60 * 60 * 1000 });
		try {
			assert.ok((await watch2.pollNow()) !== undefined);
			assert.equal(await watch2.pollNow(), undefined);
		} finally {
			watch2.stop();
		}
	});
});
