/**
 * The incident fields of blacklist entries (`commit`, `incident`, `advice`): read into the
 * model when well formed, and the whole registry refused when not (a malformed blacklist entry
 * fails the load, D1). The real Picard registry still parses, and a blacklist edit carrying
 * the new fields round-trips through Vouch's reader and leaves Picard's keys as they were.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { planBlacklistAdd, planBlacklistRemove } from '../../src/registry/edit/blacklist-plans.ts';
import { commitPlan } from '../../src/registry/edit/plan.ts';
import { isIncidentUrl } from '../../src/registry/incident-fields.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { contextOf, fileOf, PICARD_TOML } from './edit/edit-helpers.ts';
import { blacklistEntry, loadJson, pluginEntry, registryJson, UUID_A } from './helpers.ts';

const COMMIT = '0123456789ABCDEF0123456789abcdef01234567';

function refused(entry: Record<string, unknown>): void {
	assert.throws(
		() =>
			parseRegistryText(registryJson([pluginEntry('a', UUID_A)], [blacklistEntry(entry)]), {
				label: 'x',
			}),
		(error: unknown) => isVouchError(error) && error.code === 'BLACKLIST_INVALID',
		JSON.stringify(entry),
	);
}

describe('blacklist incident fields', () => {
	it('reads commit (lowercased), incident and advice into the entry', () => {
		const registry = loadJson(
			[],
			[
				blacklistEntry({
					uuid: UUID_A,
					commit: COMMIT,
					severity: 'soft',
					incident: 'https://registry.example/incidents/12',
					advice: 'Rotate the tokens this plugin could read.',
				}),
				blacklistEntry({
					uuid: UUID_A,
					commit: 'a'.repeat(64),
					incident: 'http://127.0.0.1:8080/i/1',
				}),
			],
		);
		assert.equal(registry.blacklist[0]?.commit, COMMIT.toLowerCase());
		assert.equal(registry.blacklist[0]?.incident, 'https://registry.example/incidents/12');
		assert.equal(registry.blacklist[0]?.advice, 'Rotate the tokens this plugin could read.');
		assert.equal(registry.blacklist[1]?.commit, 'a'.repeat(64));
		assert.equal(registry.blacklist[1]?.incident, 'http://127.0.0.1:8080/i/1');
	});

	it('refuses a commit that is not a full id', () => {
		for (const commit of [COMMIT.slice(0, 12), `${COMMIT}0`, 'g'.repeat(40), '', 'HEAD', 7]) {
			refused({ uuid: UUID_A, commit });
		}
	});

	it('refuses incident links that are not https (or http to loopback)', () => {
		for (const incident of [
			'http://registry.example/incidents/1',
			'javascript:alert(1)',
			'data:text/html,<b>x</b>',
			'file:///etc/passwd',
			'https://user:pass@registry.example/i/1',
			'https://registry.example/i/1 https://evil.example',
			'https://registry.example/i/\u001b[31m',
			'http://127.0.0.1.nip.io/i/1',
			'http://localhost.evil.example/i/1',
			'HTTPS://registry.example/i/1',
			'https:registry.example/i/1',
			'//registry.example/i/1',
			'',
			`https://registry.example/${'a'.repeat(5000)}`,
		]) {
			refused({ uuid: UUID_A, incident });
			assert.equal(isIncidentUrl(incident), incident.length > 4096, incident.slice(0, 60));
		}
		for (const incident of [
			'https://registry.example/incidents/1',
			'http://localhost:3000/incidents/1',
			'http://[::1]/incidents/1',
		]) {
			assert.equal(isIncidentUrl(incident), true, incident);
		}
	});

	it('refuses advice with control characters, empty, or longer than 1000 characters', () => {
		for (const advice of [
			'line\nbreak',
			'tab\there',
			'esc\u001b[2J',
			'c1\u0085',
			'',
			'x'.repeat(1001),
		]) {
			refused({ uuid: UUID_A, advice });
		}
		const ok = loadJson([], [blacklistEntry({ uuid: UUID_A, advice: 'y'.repeat(1000) })]);
		assert.equal(ok.blacklist[0]?.advice?.length, 1000);
	});

	it('keeps requiring an identifier: a commit alone is not one', () => {
		refused({ commit: COMMIT });
	});
});

describe('blacklist add with incident fields, on the real Picard registry', () => {
	const file = fileOf(PICARD_TOML);

	it('the registry parses as before', () => {
		const registry = parseRegistryText(PICARD_TOML, { label: 'plugins.toml' });
		assert.ok(registry.plugins.length > 10);
		assert.deepEqual(registry.warnings, []);
	});

	it('appends an entry Picard can read (known keys unchanged) and removes it byte for byte', () => {
		const plan = planBlacklistAdd(contextOf(file, { actor: 'alice' }), {
			uuid: UUID_A,
			commit: COMMIT,
			severity: 'hard',
			reason: 'Account takeover: this release steals tokens',
			incident: 'https://registry.example/incidents/7',
			advice: 'Rotate the tokens this plugin could read.',
		});
		const added = commitPlan(file, plan);
		assert.ok(added.text.startsWith(PICARD_TOML.trimEnd()));
		const tail = added.text.slice(PICARD_TOML.trimEnd().length);
		assert.match(tail, /\n\[\[blacklist\]\]\n/);
		assert.match(tail, new RegExp(`\\nuuid = "${UUID_A}"\\n`));
		assert.match(tail, /\nreason = "Account takeover: this release steals tokens"\n/);
		assert.match(tail, new RegExp(`\\ncommit = "${COMMIT.toLowerCase()}"\\n`));
		assert.match(tail, /\nincident = "https:\/\/registry\.example\/incidents\/7"\n/);
		assert.match(tail, /\nadvice = "Rotate the tokens this plugin could read\."\n/);
		const entry = added.registry.blacklist.at(-1);
		assert.equal(entry?.commit, COMMIT.toLowerCase());
		assert.equal(entry?.incident, 'https://registry.example/incidents/7');
		assert.equal(entry?.advice, 'Rotate the tokens this plugin could read.');
		// Read again from its own text: the same entry.
		const reread = parseRegistryText(added.text, { label: 'plugins.toml' });
		assert.deepEqual(reread.blacklist, added.registry.blacklist);
		const removed = commitPlan(
			fileOf(added.text),
			planBlacklistRemove(contextOf(fileOf(added.text)), { id: plan.change.subject }),
		);
		assert.equal(removed.text, PICARD_TOML);
	});

	it('a commit-scoped entry beside a total ban of the same UUID is not a duplicate', () => {
		const first = commitPlan(
			file,
			planBlacklistAdd(contextOf(file), { uuid: UUID_A, reason: 'All of it' }),
		);
		const second = planBlacklistAdd(contextOf(fileOf(first.text)), {
			uuid: UUID_A,
			commit: COMMIT,
			reason: 'This commit',
		});
		assert.equal(second.ops.length, 1);
	});

	it('refuses bad values with INVALID_EDIT', () => {
		const context = contextOf(file);
		for (const input of [
			{ commit: 'abc123' },
			{ incident: 'http://registry.example/i/1' },
			{ incident: 'javascript:alert(1)' },
			{ advice: 'two\nlines' },
			{ advice: '   ' },
			{ advice: 'z'.repeat(1001) },
		]) {
			assert.throws(() => planBlacklistAdd(context, { uuid: UUID_A, reason: 'r', ...input }), {
				code: 'INVALID_EDIT',
			});
		}
	});
});
