/**
 * The demo's printed text and registry document, without git or servers: the profile line
 * survives any data directory a shell can name, the registry passes the same lint a publish
 * applies, and each demo plugin is listed (or not) as its role says.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { lintRegistry } from '@vouch/library/internal/registry/lint';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import type { DemoEcosystem } from '../../src/demo/ecosystem.ts';
import { demoInstructions, demoProfilePath, demoSteps } from '../../src/demo/instructions.ts';
import { DEMO_PLUGINS, DEMO_ROLES, demoPlugin } from '../../src/demo/plugins.ts';
import { demoRegistryToml, normaliseBaseUrl } from '../../src/demo/registry-document.ts';

const BASE = 'http://127.0.0.1:8787';

/** An ecosystem as `prepareDemoEcosystem` describes one, with made-up pins. */
function ecosystem(): DemoEcosystem {
	return {
		dataDir: '/data',
		dir: '/data/ecosystem',
		keysDir: '/data/ecosystem/keys',
		reposDir: '/data/ecosystem/repos',
		createdAt: new Date('2026-05-01T10:20:30.456Z'),
		log: { origin: 'demo.example/log', verifierKey: 'demo.example/log+0+AAAA' },
		reused: false,
		plugins: DEMO_PLUGINS.map((plugin, index) => ({
			id: plugin.id,
			uuid: plugin.uuid,
			name: plugin.name,
			description: plugin.description,
			trust: plugin.trust,
			...(plugin.blacklistReason === undefined ? {} : { blacklistReason: plugin.blacklistReason }),
			repository: `/data/ecosystem/repos/${plugin.id}.git`,
			pinned: plugin.pinned,
			releases: plugin.releases.map((release) => ({
				ref: release.tag,
				commit: String(index).repeat(40),
				tree: `sha256:${'a'.repeat(64)}`,
			})),
		})),
	};
}

describe('demoInstructions', () => {
	it('names a profile in any data directory so that the shell reads it back exactly', () => {
		for (const dataDir of ["/tmp/it's here", '/tmp/two  spaces/$HOME/`x`', '/tmp/plain']) {
			const text = demoInstructions({ baseUrl: BASE, dataDir });
			const line = text.split('\n').find((candidate) => candidate.startsWith('  demo='));
			assert.ok(line !== undefined);
			const read = execFileSync('sh', ['-c', `${line.trim()}\nprintf %s "$demo"`], {
				encoding: 'utf8',
			});
			assert.equal(read, demoProfilePath(dataDir));
		}
	});

	it('prints the web address and a command for every role, each with what it shows', () => {
		const text = demoInstructions({ baseUrl: `${BASE}/`, dataDir: '/tmp/d' });
		assert.ok(text.startsWith(`Vouch demo registry: ${BASE}/\n`));
		const commands = demoSteps({ baseUrl: BASE, dataDir: '/tmp/d' }).flatMap((s) => s.commands);
		for (const role of ['official', 'trusted', 'community', 'flagged', 'blacklisted'] as const) {
			assert.ok(commands.some((c) => c.args[0] === 'install' && c.args[1] === DEMO_ROLES[role]));
		}
		assert.ok(commands.some((c) => c.args[1] === `${BASE}/git/${DEMO_ROLES.unregistered}.git`));
		for (const name of ['list', 'startup-check', 'refresh']) {
			assert.ok(
				commands.some((c) => c.args[0] === name),
				name,
			);
		}
		assert.ok(commands.every((c) => c.shows.length > 0 && !c.shows.includes('\n')));
	});
});

describe('demoRegistryToml', () => {
	const text = demoRegistryToml(ecosystem(), BASE);
	const registry = parseRegistryText(text, { format: 'toml', label: 'demo registry' });

	it('passes the lint a publish applies, git URLs included (D11)', () => {
		const report = lintRegistry(registry);
		assert.deepEqual(report.errors, []);
	});

	it('lists every plugin but the unregistered one, at its trust level, on the service', () => {
		const listed = new Map(registry.plugins.map((plugin) => [plugin.id, plugin]));
		for (const plugin of DEMO_PLUGINS) {
			if (plugin.trust === 'unregistered') {
				assert.equal(listed.has(plugin.id), false);
				continue;
			}
			const entry = listed.get(plugin.id);
			assert.equal(entry?.trustLevel, plugin.trust, plugin.id);
			assert.equal(entry?.gitUrl, `${normaliseBaseUrl(BASE)}git/${plugin.id}.git`);
		}
	});

	it('pins every release of the official and trusted plugins, and no other', () => {
		for (const entry of registry.plugins) {
			const pinned = entry.trustLevel === 'official' || entry.trustLevel === 'trusted';
			assert.equal((entry.releases ?? []).length > 0, pinned, entry.id);
		}
		const official = registry.plugins.find((entry) => entry.id === DEMO_ROLES.official);
		assert.deepEqual(
			official?.releases?.map((pin) => pin.ref),
			demoPlugin('official').releases.map((release) => release.tag),
		);
	});

	it('blacklists exactly the blacklisted plugin, by UUID, with its reason', () => {
		assert.equal(registry.blacklist.length, 1);
		const [entry] = registry.blacklist;
		assert.equal(entry?.uuid, demoPlugin('blacklisted').uuid);
		assert.equal(entry?.reason, demoPlugin('blacklisted').blacklistReason);
		assert.match(text, /blacklisted_at = "2026-05-01T10:20:30Z"/);
	});

	it('refuses a service address that is not http(s)', () => {
		for (const address of ['file:///tmp/x', 'ext::sh -c x', '127.0.0.1:8787', '']) {
			assert.throws(
				() => demoRegistryToml(ecosystem(), address),
				(error: unknown) => (error as { code?: string }).code === 'INVALID_OPTIONS',
				address,
			);
		}
	});
});
