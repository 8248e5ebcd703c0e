/**
 * D29: every escape the issue lists, tried by real plugin code in a real isolated process,
 * must fail; the same code in-process (the control) must succeed, so each assertion can fail.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startInProcessPlugin } from '../src/in-process-plugin.ts';
import { FORK_PLUGIN, startIsolatedPlugin } from '../src/isolated-plugin.ts';
import { type PluginPlan, planPlugin } from '../src/plugin-plan.ts';
import type { RunningPlugin } from '../src/running-plugin.ts';
import { SYSTEM_TIMERS } from '../src/timers.ts';
import { tempDir, writePlugin } from './helpers/plugins.ts';

type Results = Record<string, { ok: boolean; code?: string; value?: string; message?: string }>;

const SECRET = 'host-secret-value';
let root: string;
let plan: PluginPlan;
let isolated: Results;
let inProcess: Results;

async function probe(
	start: (api: Record<string, (...args: never[]) => unknown>) => RunningPlugin,
	run: string,
) {
	let results: Results | undefined;
	const outside = join(root, `outside-${run}`);
	mkdirSync(outside, { recursive: true });
	const api = {
		targets: () => ({
			home: join(root, 'home'),
			dataDir: plan.dataDir,
			outside,
			run,
			sharedLibrary: '/lib/x86_64-linux-gnu/libm.so.6',
			hostPid: process.pid,
		}),
		report: (value: Results) => {
			results = value;
		},
	};
	const plugin = start(api);
	try {
		await plugin.enable(60_000);
	} finally {
		plugin.kill();
	}
	assert.ok(results, 'the prober reported');
	return results;
}

describe('isolated mode: escapes fail (D29), and succeed in the in-process control', () => {
	before(async () => {
		root = tempDir();
		mkdirSync(join(root, 'home', '.ssh'), { recursive: true });
		writeFileSync(join(root, 'home', '.ssh', 'id_ed25519'), 'PRIVATE KEY');
		const { dir, uuid } = writePlugin(join(root, 'plugins'), {
			name: 'prober',
			fixture: 'prober',
			capabilities: {
				filesystem_write: true,
				network: false,
				subprocess: false,
				native_code: false,
			},
		});
		plan = await planPlugin({ uuid, name: 'prober', path: dir }, join(root, 'data'), {
			checkSymlinks: true,
		});
		process.env.VOUCH_HOST_TEST_SECRET = SECRET;
		isolated = await probe(
			(api) =>
				startIsolatedPlugin({
					plan,
					api,
					fetch,
					timers: SYSTEM_TIMERS,
					readGrants: [],
					consented: [],
					heapMb: 64,
					fork: FORK_PLUGIN,
					onOutput: () => {},
				}),
			'isolated',
		);
		inProcess = await probe(
			(api) => startInProcessPlugin({ plan, api, fetch, timers: SYSTEM_TIMERS }),
			'control',
		);
	});
	after(() => {
		delete process.env.VOUCH_HOST_TEST_SECRET;
	});

	const denied = (name: string, codes: string[]) => {
		it(`${name}: refused in isolation, done in-process`, () => {
			const got = isolated[name];
			assert.equal(got?.ok, false, `isolated ${name} succeeded: ${JSON.stringify(got)}`);
			assert.ok(codes.includes(String(got?.code)), `isolated ${name}: ${JSON.stringify(got)}`);
			const control = inProcess[name];
			if (name === 'addon') {
				// No Node addon ships here: loading a plain shared library proves dlopen ran.
				assert.ok(!codes.includes(String(control?.code)), JSON.stringify(control));
			} else {
				assert.equal(control?.ok, true, `control ${name}: ${JSON.stringify(control)}`);
			}
		});
	};

	denied('readSsh', ['ERR_ACCESS_DENIED']);
	denied('listSsh', ['ERR_ACCESS_DENIED']);
	denied('writeDotDot', ['ERR_ACCESS_DENIED']);
	denied('makeSymlink', ['ERR_ACCESS_DENIED']);
	denied('spawn', ['ERR_ACCESS_DENIED']);
	denied('env', ['NO_SECRET']);
	denied('addon', ['ERR_DLOPEN_DISABLED', 'ERR_ACCESS_DENIED']);
	denied('eval', ['EvalError']);
	denied('newFunction', ['EvalError']);
	denied('dataImportRead', ['ERR_ACCESS_DENIED']);
	denied('vmRead', ['ERR_ACCESS_DENIED']);
	denied('inspector', ['ERR_ACCESS_DENIED', 'ERR_INSPECTOR_NOT_AVAILABLE']);
	denied('binding', ['ERR_ACCESS_DENIED']);
	denied('worker', ['ERR_ACCESS_DENIED']);
	denied('wasi', ['ERR_ACCESS_DENIED']);
	denied('signalHost', ['Error']);

	it('writing through a symlink made at run time fails, and nothing lands outside', () => {
		assert.equal(isolated.writeViaSymlink?.ok, false);
		assert.equal(inProcess.writeViaSymlink?.ok, true);
		assert.equal(existsSync(join(root, 'outside-isolated', 'escaped-link.txt')), false);
		assert.equal(existsSync(join(root, 'outside-control', 'escaped-link.txt')), true);
	});

	it('writing inside the data directory works when filesystem_write is declared', () => {
		assert.equal(isolated.writeData?.ok, true, JSON.stringify(isolated.writeData));
	});

	it('the secret and the key never reached the isolated plugin', () => {
		assert.doesNotMatch(JSON.stringify(isolated), new RegExp(`${SECRET}|PRIVATE KEY`));
		assert.match(JSON.stringify(inProcess), /PRIVATE KEY/);
	});
});

describe('isolated mode: symlinks out of the plugin tree are refused before start', () => {
	it('a link in the plugin directory to ~/.ssh, and one in the data directory', async () => {
		const base = tempDir();
		mkdirSync(join(base, 'secret'));
		const { dir, uuid } = writePlugin(join(base, 'plugins'), {
			name: 'linker',
			code: 'export function enable() {}',
		});
		symlinkSync(join(base, 'secret'), join(dir, 'keys'));
		await assert.rejects(
			planPlugin({ uuid, name: 'linker', path: dir }, join(base, 'data'), { checkSymlinks: true }),
			{ code: 'SYMLINK_ESCAPE' },
		);
		// Control: without the check (in-process mode) the same tree plans fine.
		await planPlugin({ uuid, name: 'linker', path: dir }, join(base, 'data'), {
			checkSymlinks: false,
		});

		const other = writePlugin(join(base, 'plugins'), {
			name: 'data-linker',
			code: 'export function enable() {}',
		});
		const dataDir = join(base, 'data', 'plugin-data', other.uuid);
		mkdirSync(dataDir, { recursive: true });
		symlinkSync(join(base, 'secret'), join(dataDir, 'out'));
		await assert.rejects(
			planPlugin({ uuid: other.uuid, name: 'data-linker', path: other.dir }, join(base, 'data'), {
				checkSymlinks: true,
			}),
			{ code: 'SYMLINK_ESCAPE' },
		);
	});

	it('a link that stays inside the plugin is fine; a dangling one is refused', async () => {
		const base = tempDir();
		const { dir, uuid } = writePlugin(join(base, 'plugins'), {
			name: 'inner',
			code: 'export function enable() {}',
		});
		symlinkSync(join(dir, 'index.mjs'), join(dir, 'alias.mjs'));
		await planPlugin({ uuid, name: 'inner', path: dir }, join(base, 'data'), {
			checkSymlinks: true,
		});
		symlinkSync(join(base, 'nowhere'), join(dir, 'dangling'));
		await assert.rejects(
			planPlugin({ uuid, name: 'inner', path: dir }, join(base, 'data'), { checkSymlinks: true }),
			{ code: 'SYMLINK_ESCAPE' },
		);
	});

	it('an isolated plugin with a TypeScript entry is refused before start; in-process it plans', async () => {
		const base = tempDir();
		const { dir, uuid } = writePlugin(join(base, 'plugins'), { name: 'typed', code: '' });
		writeFileSync(join(dir, 'index.ts'), 'export function enable(): void {}\n');
		writeFileSync(
			join(dir, 'MANIFEST.toml'),
			readFileSync(join(dir, 'MANIFEST.toml'), 'utf8').replace('index.mjs', 'index.ts'),
		);
		const plugin = { uuid, name: 'typed', path: dir };
		await assert.rejects(
			planPlugin(plugin, join(base, 'data'), { checkSymlinks: true, javascriptOnly: true }),
			{
				code: 'ENTRY_INVALID',
			},
		);
		assert.match(
			(await planPlugin(plugin, join(base, 'data'), { checkSymlinks: false })).entry,
			/index\.ts$/,
		);
	});

	it('an entry that is a symlink out of the plugin is refused', async () => {
		const base = tempDir();
		writeFileSync(join(base, 'elsewhere.mjs'), 'export function enable() {}\n');
		const { dir, uuid } = writePlugin(join(base, 'plugins'), { name: 'pointer' });
		symlinkSync(join(base, 'elsewhere.mjs'), join(dir, 'index.mjs'));
		await assert.rejects(
			planPlugin({ uuid, name: 'pointer', path: dir }, join(base, 'data'), {
				checkSymlinks: false,
			}),
			{
				code: 'ENTRY_INVALID',
			},
		);
	});
});

describe('isolated mode: raw bytes on the channel descriptor cannot hurt the host', () => {
	// Descriptor I/O is outside Node 20's permission model: a plugin can write anything to the
	// pipe it talks to the host on. Through Node's IPC channel a line that is not JSON threw
	// in the host (the whole application died) and a line without end grew the host's memory.
	const attacks: Record<string, string> = {
		'a line that is not JSON': "fs.writeSync(3, 'not json\\n');",
		'a line without end': [
			'const chunk = Buffer.alloc(1 << 20, 0x78);',
			'for (let sent = 0; sent < 8 * (1 << 20); ) {',
			'  try { sent += fs.writeSync(3, chunk); }',
			"  catch (error) { if (error.code !== 'EAGAIN') throw error; await new Promise((r) => setTimeout(r, 1)); }",
			'}',
		].join('\n'),
		'a JSON value that is not a message': "fs.writeSync(3, '[1,2,3]\\n');",
	};
	for (const [name, attack] of Object.entries(attacks)) {
		it(`${name}: the plugin is stopped for breaking the protocol, the host lives on`, async () => {
			const base = tempDir();
			const { dir, uuid } = writePlugin(join(base, 'plugins'), {
				name: 'raw-writer',
				code: `import fs from 'node:fs';\nexport async function enable() {\n${attack}\nawait new Promise(() => {});\n}\n`,
			});
			const rawPlan = await planPlugin(
				{ uuid, name: 'raw-writer', path: dir },
				join(base, 'data'),
				{
					checkSymlinks: true,
				},
			);
			const exits: string[] = [];
			const plugin = startIsolatedPlugin({
				plan: rawPlan,
				api: {},
				fetch,
				timers: SYSTEM_TIMERS,
				readGrants: [],
				consented: [],
				heapMb: 64,
				fork: FORK_PLUGIN,
				onOutput: () => {},
			});
			plugin.onExit((why) => exits.push(why));
			try {
				await assert.rejects(plugin.enable(60_000), {
					code: 'PLUGIN_EXITED',
					message: /broke the host protocol/,
				});
			} finally {
				plugin.kill();
			}
			assert.equal(exits.length, 1);
		});
	}
});

describe('isolated mode: calls from a plugin cannot hurt the host', () => {
	const startWith = async (code: string, api: Record<string, (...args: never[]) => unknown>) => {
		const base = tempDir();
		const { dir, uuid } = writePlugin(join(base, 'plugins'), {
			name: 'caller',
			code,
			capabilities: { network: true },
			networkAllow: ['https://api.example.org'],
		});
		const callerPlan = await planPlugin({ uuid, name: 'caller', path: dir }, join(base, 'data'), {
			checkSymlinks: true,
		});
		return startIsolatedPlugin({
			plan: callerPlan,
			api,
			fetch: async () => new Response('never reached'),
			timers: SYSTEM_TIMERS,
			readGrants: [],
			consented: [],
			heapMb: 64,
			fork: FORK_PLUGIN,
			onOutput: () => {},
		});
	};

	it('a fetch the broker refuses on its shape is an error for the plugin, not a throw in the host', async () => {
		// Before: the refusal was thrown while the host read the message, out of its event loop.
		let reported: unknown;
		const plugin = await startWith(
			[
				'export async function enable(api) {',
				'  const outcomes = [];',
				"  for (const init of [{ method: 'TRACE' }, { method: 'CONNECT' }, { body: 'x'.repeat(300000), method: 'POST' }]) {",
				"    try { await api.fetch('https://api.example.org/', init); outcomes.push('fetched'); }",
				'    catch (error) { outcomes.push(error.message); }',
				'  }',
				'  await api.report(outcomes);',
				'}',
			].join('\n'),
			{ report: (value: unknown) => (reported = value) },
		);
		try {
			await plugin.enable(60_000);
		} finally {
			plugin.kill();
		}
		assert.ok(Array.isArray(reported), JSON.stringify(reported));
		assert.equal(reported.length, 3);
		for (const outcome of reported) assert.match(String(outcome), /standard method|too large/);
	});

	it('an answer of the host API that is not JSON is an error for the plugin, not a crash of the host', async () => {
		let reported: unknown;
		const plugin = await startWith(
			[
				'export async function enable(api) {',
				'  const outcomes = [];',
				'  for (const call of [api.circular, api.big]) {',
				'    try { await call(); outcomes.push("answered"); } catch (error) { outcomes.push(error.message); }',
				'  }',
				'  await api.report(outcomes);',
				'}',
			].join('\n'),
			{
				circular: () => {
					const value: Record<string, unknown> = {};
					value.self = value;
					return value;
				},
				big: () => 10n,
				report: (value: unknown) => (reported = value),
			},
		);
		try {
			await plugin.enable(60_000);
		} finally {
			plugin.kill();
		}
		assert.deepEqual(reported, ["the host's answer is not JSON", "the host's answer is not JSON"]);
	});

	it('calls in flight are bounded: the rest are refused, the host API never sees them', async () => {
		let active = 0;
		let most = 0;
		let release: () => void = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		let reported: { ok: number; refused: number; messages: string[] } | undefined;
		const plugin = await startWith(
			[
				'export async function enable(api) {',
				'  const calls = Array.from({ length: 300 }, () => api.wait().then(() => "ok", (error) => error.message));',
				'  const outcomes = await Promise.all(calls);',
				"  const refused = outcomes.filter((item) => item !== 'ok');",
				'  await api.report({ ok: outcomes.length - refused.length, refused: refused.length, messages: [...new Set(refused)] });',
				'}',
			].join('\n'),
			{
				wait: async () => {
					active += 1;
					most = Math.max(most, active);
					// The calls that got through hold until the bound is full, so none can
					// finish early and make room for one that should have been refused.
					if (active >= 32) release();
					await gate;
					active -= 1;
				},
				report: (value: typeof reported) => (reported = value),
			},
		);
		try {
			await plugin.enable(60_000);
		} finally {
			plugin.kill();
		}
		assert.ok(reported, 'the plugin reported');
		assert.ok(most <= 32, `the host API ran ${most} calls at once`);
		assert.ok(reported.refused > 0, JSON.stringify(reported));
		assert.equal(reported.ok + reported.refused, 300);
		assert.match(reported.messages.join(' '), /too many calls/);
	});

	it('answers queue for a plugin that does not read them only up to a bound; then it is stopped', async () => {
		// Descriptor writes are outside the permission model: the plugin writes requests straight
		// to its channel while its event loop, busy, never reads the answers. Each answer is
		// 900 kB; the calls over the in-flight bound are refused, but well over a hundred of the
		// answers would still wait in the host.
		const plugin = await startWith(
			[
				"import { writeSync } from 'node:fs';",
				'export function enable() {',
				'  setTimeout(() => {',
				'    for (let id = 1; id <= 4000; id++) {',
				'      const request = { jsonrpc: "2.0", id, method: "api", params: { name: "big", args: [] } };',
				'      const line = Buffer.from(JSON.stringify(request) + "\\n");',
				'      for (let at = 0; at < line.length; ) {',
				'        try { at += writeSync(3, line, at); } catch {}',
				'      }',
				'    }',
				'    process.exit(0);',
				'  }, 1);',
				'}',
			].join('\n'),
			{ big: () => 'x'.repeat(900_000) },
		);
		const exited = new Promise<string>((resolve) => plugin.onExit(resolve));
		try {
			await plugin.enable(60_000);
			assert.match(await exited, /broke the host protocol \(it does not read its channel\)/);
		} finally {
			plugin.kill();
		}
	});
});
