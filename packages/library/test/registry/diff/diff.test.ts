/**
 * `registry diff`: each kind of change, security-lowering changes first, and the tricks that
 * would hide a change (or invent one): URL spellings, moved entries, renames, JSON against TOML.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blacklistIdsOf } from '../../../src/registry/diff/blacklist-ids.ts';
import type { DiffChange } from '../../../src/registry/diff/changes.ts';
import { diffRegistries } from '../../../src/registry/diff/diff.ts';
import { parseRegistryText } from '../../../src/registry/parse.ts';

const UUID_A = '3713d8f5-72b0-401d-9ec9-3818380bc576';
const UUID_B = '81fd1f5f-f723-498f-a82e-17fb4163c83a';
const UUID_C = '74807b76-c451-419f-bbd4-42a78e2444a6';
const COMMIT_1 = 'a'.repeat(40);
const COMMIT_2 = 'b'.repeat(40);
const TREE_1 = `sha256:${'1'.repeat(64)}`;
const TREE_2 = `sha256:${'2'.repeat(64)}`;

type Fields = Record<string, unknown>;

function plugin(id: string, uuid: string, fields: Fields = {}): Fields {
	return {
		id,
		uuid,
		name: `Plugin ${id}`,
		description: 'Does one thing',
		git_url: `https://github.com/example/${id}`,
		categories: ['metadata'],
		trust_level: 'community',
		...fields,
	};
}

function doc(plugins: Fields[], blacklist: Fields[] = []): string {
	return JSON.stringify({ api_version: '3.0', plugins, blacklist });
}

function diffTexts(before: string, after: string) {
	const side = (text: string) => ({
		registry: parseRegistryText(text, { label: 'r', cwd: '/srv/registry', home: '/home/x' }),
		blacklistIds: blacklistIdsOf(text, 'r'),
	});
	return diffRegistries(side(before), side(after), { cwd: '/srv/registry', home: '/home/x' });
}

function summary(changes: readonly DiffChange[]): string[] {
	return changes.map(
		(c) => `${c.lowersSecurity ? '▲ ' : ''}${c.plugin ?? c.entryId ?? `#${c.entry}`} ${c.kind}`,
	);
}

describe('registry diff: plugins', () => {
	it("a redirect that takes over a removed plugin's users lowers security, whatever the trust", () => {
		const official = plugin('off', UUID_B, { trust_level: 'official' });
		const offUrl = 'https://github.com/example/off';
		// An existing community entry claims the removed plugin's address.
		const claimed = diffTexts(
			doc([plugin('a', UUID_A), official]),
			doc([plugin('a', UUID_A, { redirect_from: [`${offUrl}.git`] })]),
		);
		assert.deepEqual(summary(claimed.changes), ['▲ a redirect-added', 'off plugin-removed']);
		assert.match(claimed.changes[0]?.why ?? '', /was off's/);
		// ...or its UUID.
		const claimedUuid = diffTexts(
			doc([plugin('a', UUID_A), official]),
			doc([plugin('a', UUID_A, { redirect_from_uuid: [UUID_B] })]),
		);
		assert.deepEqual(summary(claimedUuid.changes), [
			'▲ a uuid-redirect-added',
			'off plugin-removed',
		]);
		// A new community entry claims its address.
		const added = diffTexts(
			doc([official]),
			doc([plugin('evil', UUID_C, { redirect_from: [offUrl] })]),
		);
		assert.deepEqual(summary(added.changes), [
			'▲ evil redirect-added',
			'evil plugin-added',
			'off plugin-removed',
		]);
		// A rename keeps its own old address and UUID: no takeover.
		const renamed = diffTexts(
			doc([plugin('a', UUID_A)]),
			doc([
				plugin('a2', UUID_C, {
					git_url: 'https://github.com/example/a2',
					redirect_from: ['https://github.com/example/a'],
					redirect_from_uuid: [UUID_A],
				}),
			]),
		);
		assert.equal(renamed.lowering, 0, JSON.stringify(summary(renamed.changes)));
	});

	it('an elevated entry changed so that Vouch skips it is not passed off as a plain removal', () => {
		// Picard's reader ignores what Vouch's refuses (here a locale key outside its pattern), so
		// for Picard's clients the official plugin is still there, at the attacker's address.
		const before = plugin('b', UUID_B, { trust_level: 'official' });
		const after = plugin('b', UUID_B, {
			trust_level: 'official',
			git_url: 'https://github.com/attacker/b',
			name_i18n: { 'not a locale!': 'x' },
		});
		const registry = parseRegistryText(doc([after]), { label: 'r' });
		assert.equal(registry.plugins.length, 0, 'the entry must be one Vouch skips');
		const diff = diffTexts(doc([plugin('a', UUID_A), before]), doc([plugin('a', UUID_A), after]));
		assert.deepEqual(summary(diff.changes), ['▲ b plugin-removed']);
		assert.match(diff.changes[0]?.why ?? '', /cannot read/);
		assert.equal(diff.lowering, 1);
		// A plain removal, with every entry readable, stays a plain removal.
		const plain = diffTexts(doc([plugin('a', UUID_A), before]), doc([plugin('a', UUID_A)]));
		assert.deepEqual(summary(plain.changes), ['b plugin-removed']);
	});

	it('finds nothing between a registry and itself, or a reordered copy', () => {
		const a = plugin('a', UUID_A);
		const b = plugin('b', UUID_B, { trust_level: 'official' });
		const entries = [{ uuid: UUID_C, reason: 'malware', blacklisted_at: '2026-01-01T00:00:00Z' }];
		const entries2 = [...entries, { url: 'https://example.org/x', reason: 'r' }];
		assert.deepEqual(diffTexts(doc([a, b], entries2), doc([a, b], entries2)).changes, []);
		assert.deepEqual(
			diffTexts(doc([a, b], entries2), doc([b, a], [...entries2].reverse())).changes,
			[],
		);
	});

	it('reports new and removed plugins; a new official one lowers security', () => {
		const before = doc([plugin('a', UUID_A)]);
		const after = doc([
			plugin('b', UUID_B),
			plugin('c', UUID_C, { trust_level: 'official', git_url: 'https://github.com/x/c' }),
		]);
		assert.deepEqual(summary(diffTexts(before, after).changes), [
			'▲ c plugin-added',
			'a plugin-removed',
			'b plugin-added',
		]);
	});

	it('marks a trust raise, not a trust drop', () => {
		const before = doc([plugin('a', UUID_A), plugin('b', UUID_B, { trust_level: 'trusted' })]);
		const after = doc([
			plugin('a', UUID_A, { trust_level: 'trusted' }),
			plugin('b', UUID_B, { trust_level: 'community' }),
		]);
		const diff = diffTexts(before, after);
		assert.deepEqual(summary(diff.changes), ['▲ a trust-changed', 'b trust-changed']);
		assert.equal(diff.lowering, 1);
		assert.equal(diff.changes[0]?.before, 'community');
		assert.equal(diff.changes[0]?.after, 'trusted');
	});

	it('treats an unknown trust level as community, so "officia1" hides no raise', () => {
		const before = doc([plugin('a', UUID_A, { trust_level: 'officia1' })]);
		const after = doc([plugin('a', UUID_A, { trust_level: 'official' })]);
		assert.deepEqual(summary(diffTexts(before, after).changes), ['▲ a trust-changed']);
	});

	it('compares URLs in canonical form: a new spelling is no change, a new repository is', () => {
		const official = { trust_level: 'official' };
		const before = doc([plugin('a', UUID_A, { ...official, git_url: 'https://github.com/x/y' })]);
		const respelt = doc([
			plugin('a', UUID_A, { ...official, git_url: 'HTTPS://GitHub.com/X/Y.git/' }),
		]);
		assert.deepEqual(diffTexts(before, respelt).changes, []);
		const evil = doc([
			plugin('a', UUID_A, { ...official, git_url: 'https://github.com/x/y-evil' }),
		]);
		const changes = diffTexts(before, evil).changes;
		assert.deepEqual(summary(changes), ['▲ a git-url-changed']);
		assert.equal(changes[0]?.after, 'https://github.com/x/y-evil');
		// Percent-encoding and a trailing dot on the host spell the same address...
		const encoded = doc([
			plugin('a', UUID_A, { ...official, git_url: 'https://github.com./x/%79' }),
		]);
		assert.deepEqual(diffTexts(before, encoded).changes, []);
		// ...a look-alike host does not: it is compared in its punycode form.
		const lookalike = doc([
			plugin('a', UUID_A, { ...official, git_url: 'https://gith\u0443b.com/x/y' }),
		]);
		assert.deepEqual(summary(diffTexts(before, lookalike).changes), ['▲ a git-url-changed']);
		// Another host with the same path is another repository.
		const host = doc([plugin('a', UUID_A, { ...official, git_url: 'https://gitlab.com/x/y' })]);
		assert.deepEqual(summary(diffTexts(before, host).changes), ['▲ a git-url-changed']);
	});

	it('does not mark a URL change of a community plugin as lowering, but lists it', () => {
		const before = doc([plugin('a', UUID_A)]);
		const after = doc([plugin('a', UUID_A, { git_url: 'https://github.com/other/a' })]);
		assert.deepEqual(summary(diffTexts(before, after).changes), ['a git-url-changed']);
	});

	it('marks a URL change of a plugin raised to trusted in the same change', () => {
		const before = doc([plugin('a', UUID_A)]);
		const after = doc([
			plugin('a', UUID_A, { trust_level: 'trusted', git_url: 'https://github.com/o/a2' }),
		]);
		assert.deepEqual(summary(diffTexts(before, after).changes), [
			'▲ a trust-changed',
			'▲ a git-url-changed',
		]);
	});

	it('finds a trust raise hidden behind an id rename', () => {
		const same = { name: 'Same', git_url: 'https://github.com/example/same' };
		const before = doc([plugin('old-name', UUID_A, same)]);
		const after = doc([plugin('new-name', UUID_A, { ...same, trust_level: 'official' })]);
		const changes = diffTexts(before, after).changes;
		assert.deepEqual(summary(changes), ['▲ new-name trust-changed', 'new-name plugin-renamed']);
		assert.equal(changes[0]?.oldPlugin, 'old-name');
	});

	it('pairs a rename that declares its old UUID, and marks the UUID change of a trusted plugin', () => {
		const same = { name: 'Same', git_url: 'https://github.com/example/same' };
		const before = doc([plugin('a', UUID_A, { ...same, trust_level: 'trusted' })]);
		const after = doc([
			plugin('a2', UUID_B, { ...same, trust_level: 'trusted', redirect_from_uuid: [UUID_A] }),
		]);
		assert.deepEqual(summary(diffTexts(before, after).changes), [
			'▲ a2 uuid-changed',
			'▲ a2 uuid-redirect-added',
			'a2 plugin-renamed',
		]);
	});

	it('marks a new redirect_from on an official plugin, and lists a dropped one', () => {
		const before = doc([
			plugin('a', UUID_A, {
				trust_level: 'official',
				redirect_from: ['https://github.com/old/a'],
			}),
		]);
		const after = doc([
			plugin('a', UUID_A, {
				trust_level: 'official',
				redirect_from: ['https://github.com/OLD/a.git', 'https://github.com/attacker/a'],
			}),
		]);
		assert.deepEqual(summary(diffTexts(before, after).changes), ['▲ a redirect-added']);
		const dropped = doc([plugin('a', UUID_A, { trust_level: 'official' })]);
		assert.deepEqual(summary(diffTexts(before, dropped).changes), ['a redirect-removed']);
	});

	it('reports pins: added, moved, and an unpin (removed, or no longer enforced) first', () => {
		const pin1 = { ref: 'v1.0.0', commit: COMMIT_1, tree: TREE_1 };
		const pin2 = { ref: 'v2.0.0', commit: COMMIT_1, tree: TREE_1 };
		const before = doc([
			plugin('a', UUID_A, { trust_level: 'official', releases: [pin1, pin2] }),
			plugin('b', UUID_B, { trust_level: 'trusted', releases: [pin1] }),
		]);
		const after = doc([
			plugin('a', UUID_A, {
				trust_level: 'official',
				releases: [
					{ ...pin1, commit: COMMIT_2, tree: TREE_2 },
					{ ...pin1, ref: 'v3.0.0' },
				],
			}),
			plugin('b', UUID_B, { trust_level: 'community', releases: [pin1] }),
		]);
		assert.deepEqual(summary(diffTexts(before, after).changes), [
			'▲ a pin-removed',
			'▲ b pin-removed',
			'a pin-added',
			'a pin-moved',
			'b trust-changed',
		]);
	});

	it('marks a new signer and dropping all signers', () => {
		const before = doc([plugin('a', UUID_A, { signers: ['ssh-ed25519 AAAA one'] })]);
		const added = doc([
			plugin('a', UUID_A, { signers: ['ssh-ed25519 AAAA one', 'ssh-ed25519 AAAA two'] }),
		]);
		assert.deepEqual(summary(diffTexts(before, added).changes), ['▲ a signers-changed']);
		const none = doc([plugin('a', UUID_A)]);
		assert.deepEqual(summary(diffTexts(before, none).changes), ['▲ a signers-changed']);
	});

	it('lists refs, scheme and metadata changes without marking them', () => {
		const before = doc([plugin('a', UUID_A, { versioning_scheme: 'semver' })]);
		const after = doc([
			plugin('a', UUID_A, {
				versioning_scheme: 'calver',
				refs: [{ name: 'stable' }],
				description: 'New words',
			}),
		]);
		assert.deepEqual(summary(diffTexts(before, after).changes), [
			'a refs-changed',
			'a versioning-scheme-changed',
			'a metadata-changed',
		]);
	});

	it('sanitises every string it reports', () => {
		const before = doc([plugin('a', UUID_A)]);
		const after = doc([plugin('a', UUID_A, { git_url: 'https://github.com/x/\u001b[31mred' })]);
		for (const change of diffTexts(before, after).changes) {
			assert.doesNotMatch(JSON.stringify(change), /\\u001b/);
		}
	});
});

describe('registry diff: blacklist', () => {
	const entry = (fields: Fields): Fields => ({
		reason: 'malware',
		blacklisted_at: '2026-01-01T00:00:00Z',
		...fields,
	});

	it('marks a removed entry, lists an added one, and ignores a moved or respelt one', () => {
		const before = doc(
			[],
			[
				entry({ uuid: UUID_A }),
				entry({ url: 'https://github.com/bad/x' }),
				entry({ uuid: UUID_B }),
			],
		);
		const after = doc(
			[],
			[
				entry({ url: 'HTTPS://GITHUB.COM/Bad/X.git' }),
				entry({ uuid: UUID_A }),
				entry({ url_regex: '^https://evil\\.example/' }),
			],
		);
		const changes = diffTexts(before, after).changes;
		assert.deepEqual(summary(changes), ['▲ #2 blacklist-removed', '#2 blacklist-added']);
		assert.match(changes[0]?.before ?? '', new RegExp(UUID_B));
	});

	it('pairs entries by id when both sides have one: an edit is a change, a lowered severity marked', () => {
		const before = doc([], [entry({ id: 'e1', uuid: UUID_A }), entry({ id: 'e2', uuid: UUID_B })]);
		const after = doc(
			[],
			[
				entry({ id: 'e1', uuid: UUID_C }),
				entry({ id: 'e2', uuid: UUID_B, severity: 'soft', reason: 'reviewed' }),
			],
		);
		const changes = diffTexts(before, after).changes;
		assert.deepEqual(summary(changes), ['▲ e1 blacklist-changed', '▲ e2 blacklist-changed']);
		assert.equal(changes[1]?.why, 'severity lowered from hard to soft');
		// Only the reason changed: listed, not marked.
		const reasonOnly = doc(
			[],
			[entry({ id: 'e1', uuid: UUID_A, reason: 'other words' }), entry({ id: 'e2', uuid: UUID_B })],
		);
		assert.deepEqual(summary(diffTexts(before, reasonOnly).changes), ['e1 blacklist-changed']);
	});

	it('without ids, an edited entry reads as one removed (marked) and one added', () => {
		const before = doc([], [entry({ uuid: UUID_A, versions: '<2.0.0' })]);
		const after = doc([], [entry({ uuid: UUID_A, versions: '<1.0.0' })]);
		assert.deepEqual(summary(diffTexts(before, after).changes), [
			'▲ #0 blacklist-removed',
			'#0 blacklist-added',
		]);
	});

	it('counts duplicates: removing one of two equal entries is a removal', () => {
		const twice = doc([], [entry({ uuid: UUID_A }), entry({ uuid: UUID_A })]);
		const once = doc([], [entry({ uuid: UUID_A })]);
		assert.deepEqual(summary(diffTexts(twice, once).changes), ['▲ #1 blacklist-removed']);
	});
});

describe('registry diff: formats', () => {
	it('compares a TOML registry with its JSON twin as equal', () => {
		const toml = [
			'api_version = "3.0"',
			'[[plugins]]',
			'id = "a"',
			`uuid = "${UUID_A}"`,
			'name = "Plugin a"',
			'description = "Does one thing"',
			'git_url = "https://github.com/example/a"',
			'categories = ["metadata"]',
			'trust_level = "community"',
			'[[blacklist]]',
			`uuid = "${UUID_B}"`,
			'reason = "malware"',
			'blacklisted_at = 2026-01-01T00:00:00Z',
		].join('\n');
		const json = doc(
			[plugin('a', UUID_A)],
			[{ uuid: UUID_B, reason: 'malware', blacklisted_at: '2026-01-01T00:00:00.000Z' }],
		);
		assert.deepEqual(diffTexts(toml, json).changes, []);
	});
});
