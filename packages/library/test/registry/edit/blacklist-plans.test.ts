/**
 * The blacklist commands' library side, Picard's gaps included as regression tests: a
 * `url_regex` entry can be removed, removing by UUID keeps a UUID+URL fork entry, every entry
 * has a stable id, and a pattern is tried on the registry's own plugins first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contentId } from '../../../src/registry/edit/blacklist-id.ts';
import {
	listBlacklist,
	planBlacklistAdd,
	planBlacklistRemove,
} from '../../../src/registry/edit/blacklist-plans.ts';
import { commitPlan } from '../../../src/registry/edit/plan.ts';
import { contextOf, fileOf, PICARD_TOML } from './edit-helpers.ts';

const FORK_UUID = '3713d8f5-72b0-401d-9ec9-3818380bc576';
const REGISTRY = `api_version = "3.0"
# Entries written by Picard's tool: no ids.

[[blacklist]]
uuid = "${FORK_UUID}"
reason = "Malware copied the UUID"
blacklisted_at = "2026-01-01T00:00:00Z"

[[blacklist]]
uuid = "${FORK_UUID.toUpperCase()}"
url = "https://github.com/evil/fork"
reason = "The fork itself"
blacklisted_at = "2026-01-02T00:00:00Z"

[[blacklist]]
url_regex = "^https://github\\\\.com/badorg/"
reason = "A whole organisation"
blacklisted_at = "2026-01-03T00:00:00Z"
`;

describe('blacklist edits', () => {
	const file = fileOf(REGISTRY);

	it('entries without a stored id get one derived from their content, the same every time', () => {
		const first = listBlacklist(contextOf(file)).map((listing) => listing.id);
		const second = listBlacklist(contextOf(fileOf(REGISTRY))).map((listing) => listing.id);
		assert.deepEqual(first, second);
		assert.equal(new Set(first).size, 3);
		for (const id of first) assert.match(id, /^bl-[0-9a-f]{12}$/);
	});

	it('a url_regex entry can be removed, by its pattern or by its id (Picard could not)', () => {
		const byPattern = commitPlan(
			file,
			planBlacklistRemove(contextOf(file), { urlRegex: '^https://github\\.com/badorg/' }),
		);
		assert.equal(byPattern.registry.blacklist.length, 2);
		assert.ok(byPattern.registry.blacklist.every((entry) => entry.urlRegex === undefined));
		const id = listBlacklist(contextOf(file))[2]?.id as string;
		const byId = commitPlan(file, planBlacklistRemove(contextOf(file), { id }));
		assert.equal(byId.text, byPattern.text);
	});

	it('removing by UUID leaves the UUID+URL fork entry, and says so', () => {
		const plan = planBlacklistRemove(contextOf(file), { uuid: FORK_UUID });
		const edit = commitPlan(file, plan);
		assert.equal(edit.registry.blacklist.length, 2);
		assert.ok(
			edit.registry.blacklist.some((entry) => entry.url === 'https://github.com/evil/fork'),
		);
		assert.match(plan.notes.join('\n'), /Kept bl-[0-9a-f]{12} \(uuid\+url\)/);
		assert.ok(plan.confirm);
	});

	it('the fork entry goes only when its own id is given', () => {
		const forkId = listBlacklist(contextOf(file))[1]?.id as string;
		const edit = commitPlan(file, planBlacklistRemove(contextOf(file), { id: forkId }));
		assert.equal(edit.registry.blacklist.length, 2);
		assert.ok(edit.registry.blacklist.every((entry) => entry.url === undefined));
		assert.match(edit.text, /# Entries written by Picard's tool: no ids\./);
	});

	it('identifiers naming two different entries (one version-scoped) remove neither', () => {
		// The maintainer means the old-versions entry; the total ban must not go with it.
		const scoped = fileOf(`${REGISTRY}
[[blacklist]]
uuid = "${FORK_UUID}"
versions = "<1.2.0"
reason = "A vulnerable old release"
blacklisted_at = "2026-01-04T00:00:00Z"
`);
		for (const input of [{ uuid: FORK_UUID }, { uuid: FORK_UUID.toUpperCase() }]) {
			assert.throws(() => planBlacklistRemove(contextOf(scoped), input), {
				code: 'REGISTRY_EDIT_REFUSED',
				message: /2 entries.*bl-[0-9a-f]{12}, bl-[0-9a-f]{12}/,
			});
		}
		// By its id, exactly the scoped one goes.
		const scopedId = listBlacklist(contextOf(scoped))[3]?.id as string;
		const edit = commitPlan(scoped, planBlacklistRemove(contextOf(scoped), { id: scopedId }));
		assert.equal(edit.registry.blacklist.length, 3);
		assert.ok(edit.registry.blacklist.every((entry) => entry.versions === undefined));
	});

	it('exact repeats of one entry are removed together by their identifiers', () => {
		const repeated = fileOf(`${REGISTRY}
[[blacklist]]
uuid = "${FORK_UUID}"
reason = "Malware copied the UUID"
blacklisted_at = "2026-01-01T00:00:00Z"
`);
		const edit = commitPlan(
			repeated,
			planBlacklistRemove(contextOf(repeated), { uuid: FORK_UUID }),
		);
		assert.equal(edit.registry.blacklist.length, 2);
	});

	it('an unknown id or identifier is ENTRY_NOT_FOUND, and nothing is removed', () => {
		assert.throws(() => planBlacklistRemove(contextOf(file), { id: 'bl-000000000000' }), {
			code: 'ENTRY_NOT_FOUND',
		});
		assert.throws(
			() => planBlacklistRemove(contextOf(file), { url: 'https://github.com/evil/fork' }),
			{
				code: 'ENTRY_NOT_FOUND',
			},
		);
	});

	it('a new entry stores its id, which remove then names', () => {
		const plan = planBlacklistAdd(contextOf(file), {
			uuid: 'a5ae3e8d-6e15-4d4b-9f61-0b1f2f6d2a11',
			reason: 'Bad',
		});
		const edit = commitPlan(file, plan);
		const stored = listBlacklist(contextOf(fileOf(edit.text)))[3];
		assert.equal(stored?.id, plan.change.subject);
		assert.equal(stored?.entry.id, plan.change.subject);
		assert.equal(contentId(stored?.entry ?? {}), plan.change.subject);
	});

	it('a new entry needs a reason and an identifier; an exact repeat is refused', () => {
		assert.throws(() => planBlacklistAdd(contextOf(file), { url: 'https://x.example/a' }), {
			code: 'INVALID_EDIT',
		});
		assert.throws(() => planBlacklistAdd(contextOf(file), { reason: 'why' }), {
			code: 'INVALID_EDIT',
		});
		assert.throws(() => planBlacklistAdd(contextOf(file), { uuid: FORK_UUID, reason: 'again' }), {
			code: 'DUPLICATE_ENTRY',
		});
		assert.throws(
			() => planBlacklistAdd(contextOf(file), { uuid: `{${FORK_UUID}}`, reason: 'x' }),
			{
				code: 'INVALID_EDIT',
			},
		);
		assert.throws(
			() =>
				planBlacklistAdd(contextOf(file), {
					url: 'https://x.example/a',
					versions: 'soon',
					reason: 'x',
				}),
			{
				code: 'INVALID_EDIT',
			},
		);
	});

	it('patterns run on RE2: a backreference is refused, a catastrophic one is harmless', () => {
		assert.throws(() => planBlacklistAdd(contextOf(file), { urlRegex: '(a)\\1', reason: 'x' }), {
			code: 'INVALID_EDIT',
		});
		assert.throws(() => planBlacklistAdd(contextOf(file), { urlRegex: '(?<=x)y', reason: 'x' }), {
			code: 'INVALID_EDIT',
		});
		const picard = fileOf(PICARD_TOML);
		// Exponential on a backtracking engine against a long URL; linear here.
		const plan = planBlacklistAdd(contextOf(picard), { urlRegex: '^(h+)+$|(a|aa)+x', reason: 'x' });
		assert.equal(plan.confirm, undefined);
	});

	it("a pattern is tried against the registry's plugins, which are named and asked about", () => {
		const picard = fileOf(PICARD_TOML);
		const plan = planBlacklistAdd(contextOf(picard), {
			urlRegex: 'github\\.com/rdswift/',
			reason: 'Account taken over',
		});
		assert.ok(plan.confirm);
		assert.match(plan.notes[0] ?? '', /additional-artists-details/);
		assert.doesNotMatch(plan.notes[0] ?? '', /add-to-collection/);
		// An uppercase or .git spelling of a plugin's URL is the same plugin (D2, D3).
		const byUrl = planBlacklistAdd(contextOf(picard), {
			url: 'https://GITHUB.com/dvirtz/picard-plugin-add-to-collection.git',
			reason: 'x',
		});
		assert.match(byUrl.notes[0] ?? '', /add-to-collection/);
	});
});
