/**
 * `createPluginHost` end to end: real profile, real registry file, plugins installed through
 * the library, real plugin processes. Time that the rules depend on is driven by hand.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { createVouch } from '@vouch/library';
import { createHostWorld, type HostServedPlugin } from '../../library/test/helpers/host-world.ts';
import { createPluginHost } from '../src/create-plugin-host.ts';
import type { PluginHost, PluginHostOptions } from '../src/types.ts';
import { NoticeLog } from './helpers/notices.ts';
import { createHostTestWorld, ManualTimers } from './helpers/world.ts';

const NEVER = 1e12;
/** Every host a test started; stopped after each test even when an assertion failed. */
const started: PluginHost[] = [];
afterEach(async () => {
	for (const host of started.splice(0)) await host.stop();
});

function hostIn(
	world: ReturnType<typeof createHostTestWorld>,
	extra: Partial<PluginHostOptions> & Pick<PluginHostOptions, 'api' | 'mode'>,
) {
	const notices = new NoticeLog();
	const host = createPluginHost({
		vouch: world.vouch,
		env: {},
		recheckIntervalMs: NEVER,
		heartbeatMs: NEVER,
		onNotice: notices.push,
		...extra,
	});
	started.push(host);
	return { host, notices };
}

async function processGone(pid: number): Promise<void> {
	for (;;) {
		try {
			process.kill(pid, 0);
		} catch {
			return;
		}
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

describe('createPluginHost', () => {
	it('in-process: loads the enabled plugin, calls enable(api) and disable(), and says NOT ENFORCED', async () => {
		const world = createHostTestWorld();
		const calls: string[] = [];
		await world.install({
			name: 'greeter',
			code: 'export async function enable(api) { await api.record("enabled"); globalThis.__greeter = api; }\nexport async function disable() { await globalThis.__greeter.record("disabled"); }\n',
		});
		const { host, notices } = hostIn(world, {
			mode: 'in-process',
			api: { record: (what: string) => calls.push(what) },
		});
		const report = await host.start();
		assert.deepEqual(
			report.plugins.map((p) => [p.name, p.state]),
			[['greeter', 'running']],
		);
		assert.ok(report.capabilities.every((c) => c.label === 'not enforced'));
		assert.match(notices.of('mode')[0]?.message ?? '', /NOT ENFORCED/);
		await host.stop();
		assert.deepEqual(calls, ['enabled', 'disabled']);
	});

	it('isolated: the plugin runs in its own process and reaches the host only through the API', async () => {
		const world = createHostTestWorld();
		const tags: string[] = [];
		await world.install({
			name: 'tagger',
			code: 'export async function enable(api) { const t = await api.normalise(" Rock "); await api.addTag(t + ":" + process.pid); }\n',
		});
		const { host, notices } = hostIn(world, {
			mode: 'isolated',
			api: {
				normalise: (tag: string) => tag.trim().toLowerCase(),
				addTag: (tag: string) => tags.push(tag),
			},
		});
		const report = await host.start();
		const plugin = report.plugins[0];
		assert.equal(plugin?.state, 'running');
		assert.ok(plugin?.pid !== undefined && plugin.pid !== process.pid);
		assert.deepEqual(tags, [`rock:${plugin.pid}`]);
		assert.ok(
			report.capabilities.some((c) => c.capability === 'network' && c.label === 'brokered'),
		);
		assert.ok(
			report.capabilities.some(
				(c) => c.capability === 'raw_sockets' && /not enforceable on Node 20/.test(c.why),
			),
		);
		assert.match(
			notices
				.of('mode')
				.map((n) => n.message)
				.join('\n'),
			/raw_sockets: declared only \(not enforceable on Node 20/,
		);
		await host.stop();
		await processGone(plugin.pid);
	});

	it('isolated: writing to the data directory needs filesystem_write', async () => {
		const world = createHostTestWorld();
		const results: string[] = [];
		const code =
			'import fs from "node:fs";\nexport async function enable(api) { const dir = await api.dataDir(); try { fs.writeFileSync(dir + "/x", "1"); await api.done("ok"); } catch (e) { await api.done(e.code); } }\n';
		const reader = await world.install({ name: 'no-write', code });
		const writer = await world.install({
			name: 'writer',
			code,
			capabilities: { filesystem_write: true },
		});
		let current = '';
		const { host } = hostIn(world, {
			mode: 'isolated',
			api: {
				dataDir: () => `${world.dataDir}/plugin-data/${current}`,
				done: (what: string) => results.push(what),
			},
			grants: (plugin) => {
				current = plugin.uuid;
				return {};
			},
		});
		// One plugin at a time, so `current` names the caller.
		await world.vouch.disable(writer.uuid);
		await host.start();
		await host.stop();
		await world.vouch.disable(reader.uuid);
		await world.vouch.enable(writer.uuid);
		const second = hostIn(world, {
			mode: 'isolated',
			api: {
				dataDir: () => `${world.dataDir}/plugin-data/${writer.uuid}`,
				done: (what: string) => results.push(what),
			},
		});
		await second.host.start();
		await second.host.stop();
		assert.deepEqual(results, ['ERR_ACCESS_DENIED', 'ok']);
	});

	describe('api.fetch is brokered against network_allow', () => {
		let server: Server;
		let origin: string;
		before(async () => {
			server = createServer((_, response) => response.end('hello from the allowed origin'));
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		});
		after(() => server.close());

		it('reaches a listed origin, and is refused elsewhere or without the capability', async () => {
			const world = createHostTestWorld();
			const seen: string[] = [];
			const code = (url: string) =>
				`export async function enable(api) { try { const r = await api.fetch(${JSON.stringify(url)}); await api.saw(r.status + " " + r.body); } catch (e) { await api.saw("refused: " + e.message); } }\n`;
			await world.install({
				name: 'a-allowed',
				code: code(`${origin}/x`),
				capabilities: { network: true },
				networkAllow: [origin],
			});
			await world.install({
				name: 'b-other-origin',
				code: code(`http://localhost:${new URL(origin).port}/x`),
				capabilities: { network: true },
				networkAllow: [origin],
			});
			await world.install({
				name: 'c-undeclared',
				code: code(`${origin}/x`),
				capabilities: { network: false },
				networkAllow: [origin],
			});
			const { host } = hostIn(world, {
				mode: 'isolated',
				api: { saw: (what: string) => seen.push(what) },
			});
			await host.start();
			await host.stop();
			assert.equal(seen.length, 3, seen.join('\n'));
			assert.ok(seen.includes('200 hello from the allowed origin'), seen.join('\n'));
			assert.ok(
				seen.some((s) => /refused: .*not in its network_allow list/.test(s)),
				seen.join('\n'),
			);
			assert.ok(
				seen.some((s) => /refused: .*does not declare the network capability/.test(s)),
				seen.join('\n'),
			);
		});
	});

	describe('crash loops (real plugin processes, clock driven by hand)', () => {
		it('a plugin that throws in enable is disabled with reason crash_loop after 3 failures', async () => {
			const world = createHostTestWorld();
			const plugin = await world.install({
				name: 'thrower',
				code: 'export function enable() { throw new Error("boom\\u001b[2J in enable"); }\n',
			});
			const timers = new ManualTimers();
			const { host, notices } = hostIn(world, { mode: 'isolated', api: {}, timers });
			await host.start();
			const loop = await notices.waitFor('crash_loop');
			assert.match(loop.message, /crash_loop: 3 failures within 5 minutes/);
			assert.equal(notices.of('failure').length, 3);
			assert.match(notices.of('failure')[0]?.message ?? '', /boom.*in enable/);
			assert.ok(
				!notices.all.some((n) => n.message.includes('\u001b')),
				'escape sequences are stripped',
			);
			const listed = (await world.vouch.list()).find((p) => p.plugin.uuid === plugin.uuid);
			assert.equal(listed?.enabled, false);
			assert.equal(listed?.plugin.disabledReason?.kind, 'crash_loop');
			assert.equal(host.plugins()[0]?.state, 'disabled');
			await host.stop();
		});

		it('a plugin process that dies after enable is restarted, then disabled; a healthy one beside it keeps running', async () => {
			const world = createHostTestWorld();
			await world.install({
				name: 'dier',
				code: 'export function enable() { setTimeout(() => process.exit(7), 1); }\n',
			});
			await world.install({ name: 'steady', code: 'export function enable() {}\n' });
			const { host, notices } = hostIn(world, {
				mode: 'isolated',
				api: {},
				timers: new ManualTimers(),
			});
			await host.start();
			await notices.waitFor('crash_loop');
			assert.match(notices.of('failure')[0]?.message ?? '', /code 7/);
			const states = Object.fromEntries(host.plugins().map((p) => [p.name, p.state]));
			assert.deepEqual(states, { dier: 'disabled', steady: 'running' });
			await host.stop();
		});

		it('an enable slower than 10 s disables the plugin at once', async () => {
			const world = createHostTestWorld();
			await world.install({
				name: 'sleeper',
				code: 'export function enable() { return new Promise(() => {}); }\n',
			});
			const timers = new ManualTimers();
			const { host, notices } = hostIn(world, { mode: 'isolated', api: {}, timers });
			const started = host.start();
			// Wait until the enable call is pending, then move the clock past the limit.
			while (host.plugins()[0]?.pid === undefined || timers.pending < 2)
				await new Promise((r) => setTimeout(r, 10));
			timers.advance(9_999);
			assert.equal(notices.of('crash_loop').length, 0, 'not before 10 s');
			timers.advance(1);
			await started;
			const loop = await notices.waitFor('crash_loop');
			assert.match(loop.message, /enable took longer than 10 s/);
			assert.equal(notices.of('failure').length, 1);
			await host.stop();
		});

		it('missed heartbeats count: a plugin stuck in a loop is disabled after three', async () => {
			const world = createHostTestWorld();
			await world.install({
				name: 'spinner',
				code: 'export function enable() { setTimeout(() => { for (;;) {} }, 1); }\n',
			});
			const timers = new ManualTimers();
			const { host, notices } = hostIn(world, {
				mode: 'isolated',
				api: {},
				timers,
				heartbeatMs: 1000,
			});
			await host.start();
			for (let round = 1; round <= 3; round++) {
				await notices.waitFor('started', round);
				timers.advance(1000); // the ping goes out
				timers.advance(1000); // and is not answered
				await notices.waitFor('failure', round);
			}
			await notices.waitFor('crash_loop');
			assert.ok(notices.of('failure').every((n) => /missed a heartbeat/.test(n.message)));
			await host.stop();
		});
	});

	describe('runtime re-check (D10, D23): a plugin blocked while the host runs stops without a restart', () => {
		it('a soft block disables it with a notice; a hard block of a git install quarantines it', async () => {
			const world = await createHostWorld();
			const manifest = (name: string, uuid: string) =>
				`uuid = "${uuid}"\nname = "${name}"\ndescription = "The ${name} plugin"\napi = ["3.0"]\nentry = "index.mjs"\n[capabilities]\n`;
			const specs = ['soft-one', 'hard-one', 'kept'].map((name) => {
				const uuid = randomUUID();
				return world.serve({
					name,
					uuid,
					files: {
						'MANIFEST.toml': manifest(name, uuid),
						'index.mjs': 'export function enable() {}\n',
					},
				});
			});
			world.writeRegistry(specs);
			const vouch = createVouch({ profile: world.profileFile, env: world.env, cwd: world.root });
			for (const plugin of specs)
				await vouch.install(plugin.spec.name, { yes: true, acceptFindings: true });
			const notices = new NoticeLog();
			const host = createPluginHost({
				vouch,
				mode: 'isolated',
				api: {},
				env: {},
				recheckIntervalMs: NEVER,
				heartbeatMs: NEVER,
				onNotice: notices.push,
			});
			try {
				const report = await host.start();
				const pids = Object.fromEntries(report.plugins.map((p) => [p.name, p.pid as number]));
				assert.equal(Object.keys(pids).length, 3);
				const [soft, hard] = specs as [HostServedPlugin, HostServedPlugin];
				world.writeRegistry(specs, [
					{
						uuid: soft.spec.uuid,
						reason: 'Sends tags away',
						severity: 'soft',
						blacklisted_at: '2026-01-01T00:00:00Z',
						incident: 'http://127.0.0.1:9/incidents/5',
					},
					{
						uuid: soft.spec.uuid,
						reason: 'Also\u001b[2J phones home',
						severity: 'soft',
						blacklisted_at: '2026-01-01T00:00:00Z',
					},
					{
						uuid: hard.spec.uuid,
						reason: 'Malware',
						severity: 'hard',
						blacklisted_at: '2026-01-01T00:00:00Z',
						incident: 'https://registry.example/incidents/6',
						advice: 'Rotate your tokens\u202e now.',
					},
				]);
				await vouch.refresh();
				await host.recheck();
				const states = Object.fromEntries(host.plugins().map((p) => [p.name, p.state]));
				assert.deepEqual(states, {
					'hard-one': 'disabled',
					kept: 'running',
					'soft-one': 'disabled',
				});
				assert.match(
					notices
						.of('disabled')
						.map((n) => n.message)
						.join('\n'),
					/soft-one was disabled \(blacklist\): Sends tags away/,
				);
				assert.match(
					notices.of('quarantined')[0]?.message ?? '',
					/hard-one was blocked and quarantined: Malware Advice: Rotate your tokens\ufffd now\. Incident: https:\/\/registry\.example\/incidents\/6$/,
				);
				assert.deepEqual(notices.of('quarantined')[0]?.block, {
					severity: 'hard',
					incident: 'https://registry.example/incidents/6',
					advice: 'Rotate your tokens\ufffd now.',
				});
				const softNotice = notices.of('disabled').find((n) => n.plugin?.name === 'soft-one');
				// Every soft entry that matched is named, not only the first (D4), sanitised.
				assert.deepEqual(softNotice?.block, {
					severity: 'soft',
					incident: 'http://127.0.0.1:9/incidents/5',
					alsoSoftReasons: ['Also phones home'],
				});
				assert.match(softNotice?.message ?? '', /Also not recommended: Also phones home\./);
				assert.match(softNotice?.message ?? '', /You may enable it again after reading this\./);
				await processGone(pids['soft-one'] as number);
				await processGone(pids['hard-one'] as number);
				process.kill(pids.kept as number, 0);
				const listed = await vouch.list();
				assert.equal(listed.find((p) => p.plugin.name === 'kept')?.enabled, true);
				assert.equal(listed.find((p) => p.plugin.name === 'soft-one')?.enabled, false);
				assert.equal(listed.find((p) => p.plugin.name === 'hard-one')?.plugin.state, 'quarantined');
			} finally {
				await host.stop();
				await world.close();
			}
		});
	});
});
