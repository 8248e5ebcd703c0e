/**
 * The host's rules on literal inputs: the crash-loop window, the safe-mode decision, the
 * permission flags, the fetch allow-list, the JSON-RPC message shapes and the labels.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capabilityLabels, describeEnforcement } from '../src/capability-labels.ts';
import { CRASH_WINDOW_MS, judgeFailures } from '../src/crash-loop.ts';
import { assertFetchAllowed } from '../src/fetch-broker.ts';
import { isolatedNodeFlags } from '../src/permissions.ts';
import type { PluginPlan } from '../src/plugin-plan.ts';
import { MAX_MESSAGE_CHARS, parseRpcMessage } from '../src/rpc.ts';
import { safeModeReason } from '../src/safe-mode.ts';

const NOW = Date.parse('2026-06-01T12:00:00Z');

const PLAN: PluginPlan = {
	uuid: '0f8fad5b-d9cb-469f-a165-70867728950e',
	name: 'p',
	dir: '/plugins/p',
	entry: '/plugins/p/index.mjs',
	dataDir: '/data/plugin-data/p',
	declared: [],
	networkAllow: [],
};

describe('crash-loop rule', () => {
	it('three failures inside five minutes disable; older ones do not count', () => {
		assert.equal(judgeFailures([NOW - 1000, NOW], NOW, 'crash').crashLoop, false);
		assert.equal(judgeFailures([NOW - 2000, NOW - 1000, NOW], NOW, 'crash').crashLoop, true);
		const spread = [NOW - CRASH_WINDOW_MS, NOW - CRASH_WINDOW_MS + 1, NOW];
		assert.deepEqual(
			{
				loop: judgeFailures(spread, NOW, 'missed-heartbeat').crashLoop,
				recent: judgeFailures(spread, NOW, 'crash').recent,
			},
			{ loop: false, recent: 2 },
		);
		// A clock that went backwards does not let future-dated failures count.
		assert.equal(judgeFailures([NOW + 60_000, NOW + 1, NOW], NOW, 'crash').crashLoop, false);
	});

	it('one enable slower than ten seconds is enough', () => {
		const verdict = judgeFailures([NOW], NOW, 'slow-enable');
		assert.equal(verdict.crashLoop, true);
		assert.match(verdict.reason, /^crash_loop: /);
	});
});

describe('safe mode decision', () => {
	it('flag, environment, or three unhealthy start-ups; nothing else', () => {
		assert.equal(safeModeReason({ flag: true, env: {}, unhealthyStarts: 0 }), 'flag');
		assert.equal(
			safeModeReason({ flag: false, env: { VOUCH_SAFE_MODE: '1' }, unhealthyStarts: 0 }),
			'environment',
		);
		assert.equal(
			safeModeReason({ flag: false, env: { VOUCH_SAFE_MODE: 'yes' }, unhealthyStarts: 2 }),
			undefined,
		);
		assert.equal(safeModeReason({ flag: false, env: {}, unhealthyStarts: 3 }), 'crashed-starts');
	});
});

describe('isolated permission flags', () => {
	const base = {
		runner: '/host/runner/child.mjs',
		readGrants: [],
		consented: [],
		heapMb: 64,
	} as const;

	it('grants only the runner and the plugin directory by default, and no write at all', () => {
		const flags = isolatedNodeFlags({ ...base, plan: PLAN });
		assert.ok(flags.includes('--experimental-permission'));
		assert.ok(flags.includes('--disallow-code-generation-from-strings'));
		assert.ok(flags.includes('--max-old-space-size=64'));
		assert.ok(flags.includes('--no-addons'));
		assert.deepEqual(
			flags.filter((f) => f.startsWith('--allow')),
			['--allow-fs-read=/host/runner/child.mjs', '--allow-fs-read=/plugins/p'],
		);
	});

	it('write to the data directory only when declared; spawning and addons only when declared AND consented', () => {
		const declared = {
			...PLAN,
			declared: ['filesystem_write', 'subprocess', 'native_code'] as PluginPlan['declared'],
		};
		const notConsented = isolatedNodeFlags({ ...base, plan: declared });
		assert.ok(notConsented.includes('--allow-fs-write=/data/plugin-data/p'));
		assert.ok(
			!notConsented.some(
				(f) => /child-process|worker|addons|wasi/.test(f) && f.startsWith('--allow'),
			),
		);
		const consentedOnly = isolatedNodeFlags({
			...base,
			plan: PLAN,
			consented: ['subprocess', 'native_code'],
		});
		assert.ok(
			!consentedOnly.some((f) => /child-process|addons/.test(f) && f.startsWith('--allow')),
		);
		const both = isolatedNodeFlags({
			...base,
			plan: declared,
			consented: ['subprocess', 'native_code'],
		});
		for (const flag of [
			'--allow-child-process',
			'--allow-worker',
			'--allow-addons',
			'--allow-wasi',
		])
			assert.ok(both.includes(flag), flag);
		assert.ok(!both.includes('--no-addons'));
	});

	it('refuses a path a comma could split into a second grant', () => {
		assert.throws(() => isolatedNodeFlags({ ...base, plan: { ...PLAN, dir: '/plugins/p,/' } }), {
			code: 'INVALID_HOST_OPTIONS',
		});
		assert.throws(() => isolatedNodeFlags({ ...base, plan: PLAN, readGrants: ['relative/path'] }), {
			code: 'INVALID_HOST_OPTIONS',
		});
	});
});

describe('api.fetch allow-list', () => {
	const plan = {
		name: 'p',
		declared: ['network' as const],
		networkAllow: ['https://api.example.org'],
	};

	it('exact origins only', () => {
		assert.equal(
			assertFetchAllowed(plan, 'https://api.example.org/v1?q=1').origin,
			'https://api.example.org',
		);
		for (const url of [
			'http://api.example.org/',
			'https://api.example.org:8443/',
			'https://evil.example.org/',
			'https://api.example.org.evil.net/',
			'https://user:pw@api.example.org/',
			'file:///etc/passwd',
			'not a url',
			// Look-alikes: userinfo, a trailing dot, other schemes, smuggled hosts, IP forms.
			'https://api.example.org@evil.net/',
			'https://api.example.org:@evil.net/',
			'https://evil.net#@api.example.org',
			'https://evil.net/?https://api.example.org',
			'https://evil.net\\api.example.org/',
			'https://api.example.org./',
			'https://api.example.org%2eevil.net/',
			'https://api.example.org%00.evil.net/',
			'https://xn--pi-7ka.example.org/',
			'https://api.еxample.org/',
			'data:text/plain,https://api.example.org',
			'blob:https://api.example.org/1',
			'ws://api.example.org/',
			'wss://api.example.org/',
			'ftp://api.example.org/',
			'javascript:fetch("https://api.example.org")',
			'https://127.0.0.1/',
			'https://2130706433/',
			'https://0x7f.1/',
			'https://[::1]/',
			'https://[::ffff:127.0.0.1]/',
			'http://api.example.org:443/',
			'https://api.example.org:0/',
		]) {
			assert.throws(() => assertFetchAllowed(plan, url), { code: 'FETCH_NOT_ALLOWED' }, url);
		}
	});

	it('spellings of the same origin are the same origin', () => {
		for (const url of [
			'https://API.Example.ORG/x',
			'https://api.example.org:443/',
			'HTTPS://api.example.org',
			'https://api.example.org/../../x',
			// A backslash ends the host in a special URL: this one goes to the allowed host.
			'https://api.example.org\\@evil.net/',
		]) {
			assert.equal(assertFetchAllowed(plan, url).origin, 'https://api.example.org', url);
		}
	});

	it('nothing without the network capability, whatever the list says', () => {
		assert.throws(() => assertFetchAllowed({ ...plan, declared: [] }, 'https://api.example.org/'), {
			code: 'FETCH_NOT_ALLOWED',
		});
	});
});

describe('JSON-RPC messages from a plugin', () => {
	it('accepts requests and responses of the exact shape', () => {
		assert.deepEqual(
			parseRpcMessage({ jsonrpc: '2.0', id: 1, method: 'api', params: { name: 'x', args: [] } }),
			{
				jsonrpc: '2.0',
				id: 1,
				method: 'api',
				params: { name: 'x', args: [] },
			},
		);
		assert.deepEqual(parseRpcMessage({ jsonrpc: '2.0', id: 2, result: null }), {
			jsonrpc: '2.0',
			id: 2,
			result: null,
		});
		assert.equal(
			parseRpcMessage({ jsonrpc: '2.0', id: 3, error: { code: 1, message: 'no' } })?.id,
			3,
		);
	});

	it('refuses anything else', () => {
		for (const bad of [
			null,
			'text',
			[],
			{ id: 1, method: 'api' },
			{ jsonrpc: '1.0', id: 1, method: 'api' },
			{ jsonrpc: '2.0', id: -1, method: 'api' },
			{ jsonrpc: '2.0', id: 1.5, method: 'api' },
			{ jsonrpc: '2.0', id: '1', method: 'api' },
			{ jsonrpc: '2.0', id: 1, method: '' },
			{ jsonrpc: '2.0', id: 1, method: 'api', extra: true },
			{ jsonrpc: '2.0', id: 1, result: 1, error: { code: 1, message: 'x' }, more: 1 },
			{ jsonrpc: '2.0', id: 1, error: 'x' },
			{ jsonrpc: '2.0', id: 1, method: 'api', params: 'x'.repeat(MAX_MESSAGE_CHARS) },
		]) {
			assert.equal(parseRpcMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
		}
	});
});

describe('capability labels', () => {
	it('isolated: enforced, brokered or declared only; raw sockets not enforceable on Node 20', () => {
		const labels = Object.fromEntries(
			capabilityLabels('isolated').map((l) => [l.capability, l.label]),
		);
		assert.equal(labels.network, 'brokered');
		assert.equal(labels.filesystem_write, 'enforced');
		assert.equal(labels.subprocess, 'enforced');
		assert.equal(labels.config_read, 'declared only');
		assert.equal(labels.raw_sockets, 'declared only');
		assert.match(
			describeEnforcement('isolated').join('\n'),
			/raw_sockets: declared only \(not enforceable on Node 20/,
		);
	});

	it('in-process: every line says not enforced', () => {
		assert.ok(capabilityLabels('in-process').every((l) => l.label === 'not enforced'));
		assert.match(describeEnforcement('in-process')[0] ?? '', /NOT ENFORCED/);
	});
});
