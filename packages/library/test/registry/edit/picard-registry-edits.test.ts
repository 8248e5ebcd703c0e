/**
 * Every kind of edit made to the real Picard registry: the result is still read by Vouch's
 * reader with the same trust levels, only the intended entry changes, and the text outside it
 * stays byte-identical.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	planBlacklistAdd,
	planBlacklistRemove,
} from '../../../src/registry/edit/blacklist-plans.ts';
import { commitPlan } from '../../../src/registry/edit/plan.ts';
import {
	planPluginAdd,
	planPluginEdit,
	planPluginRemove,
	planPluginUpdate,
} from '../../../src/registry/edit/plugin-plans.ts';
import { planRedirectAdd, planRedirectRemove } from '../../../src/registry/edit/redirect-plans.ts';
import { planRefAdd, planRefEdit, planRefRemove } from '../../../src/registry/edit/ref-plans.ts';
import { parseRegistryText } from '../../../src/registry/parse.ts';
import {
	contextOf,
	EDIT_AT,
	fileOf,
	manifestFacts,
	PICARD_TOML,
	trustLevels,
	untouchedOutside,
} from './edit-helpers.ts';

const file = fileOf(PICARD_TOML);
const original = trustLevels(PICARD_TOML);

function assertOthersKept(text: string, except: string): void {
	const now = trustLevels(text);
	for (const [id, level] of original) {
		if (id !== except) assert.equal(now.get(id), level, id);
	}
}

describe('edits of the real Picard registry', () => {
	it('a trust change touches only its plugin and records reason and actor', () => {
		const context = contextOf(file, { actor: 'alice' });
		const plan = planPluginEdit(context, 'decade', {
			trust: 'official',
			reason: 'Reviewed by the team',
		});
		const edit = commitPlan(file, plan);
		assert.ok(untouchedOutside(PICARD_TOML, edit.text, 'decade'));
		assertOthersKept(edit.text, 'decade');
		const decade = edit.registry.plugins.find((plugin) => plugin.id === 'decade');
		assert.equal(decade?.trustLevel, 'official');
		assert.equal(decade?.updatedAt, EDIT_AT);
		assert.match(
			edit.text,
			/\[\[plugins\.changes\]\]\nat = "2026-11-28T12:00:00Z"\nfield = "trust_level"\nfrom = "trusted"\nto = "official"\nreason = "Reviewed by the team"\nactor = "alice"/,
		);
		assert.equal(edit.change.actor, 'alice');
		assert.equal(edit.change.reason, 'Reviewed by the team');
		assert.deepEqual(edit.registry.warnings, []);
	});

	it('a trust change without a reason is refused (Picard recorded none)', () => {
		const context = contextOf(file);
		assert.throws(() => planPluginEdit(context, 'decade', { trust: 'community' }), {
			code: 'INVALID_EDIT',
		});
		assert.throws(() => planPluginEdit(context, 'decade', { trust: 'community', reason: '  ' }), {
			code: 'INVALID_EDIT',
		});
		assert.throws(
			() => planPluginEdit(context, 'decade', { gitUrl: 'https://example.org/x/decade' }),
			{
				code: 'INVALID_EDIT',
			},
		);
	});

	it('categories and versioning scheme edits keep the layout of the rest', () => {
		const context = contextOf(file);
		const edit = commitPlan(
			file,
			planPluginEdit(context, 'decade', { categories: ['metadata', 'ui'], versioningScheme: '' }),
		);
		assert.ok(untouchedOutside(PICARD_TOML, edit.text, 'decade'));
		const decade = edit.registry.plugins.find((plugin) => plugin.id === 'decade');
		assert.deepEqual(decade?.categories, ['metadata', 'ui']);
		assert.equal(decade?.versioningScheme, undefined);
		assertOthersKept(edit.text, 'decade');
	});

	it('adding a plugin puts it in id order and changes no other byte', () => {
		const context = contextOf(file);
		const plan = planPluginAdd(context, {
			gitUrl: 'https://codeberg.org/someone/picard-plugin-bpm-tools.git',
			manifests: [manifestFacts({ nameI18n: { de: 'Beispiel' } })],
			trust: 'community',
			refs: [{ name: 'main' }],
			versioningScheme: 'semver',
		});
		const edit = commitPlan(file, plan);
		const ids = edit.registry.plugins.map((plugin) => plugin.id);
		assert.deepEqual(ids, [...ids].sort());
		assert.ok(ids.includes('bpm-tools'));
		assertOthersKept(edit.text, 'bpm-tools');
		// The new block is the only addition.
		const added = edit.text.length - PICARD_TOML.length;
		const at = edit.text.indexOf('[[plugins]]\nid = "bpm-tools"');
		assert.equal(edit.text.slice(0, at) + edit.text.slice(at + added), PICARD_TOML);
		assert.equal(edit.change.action, 'plugin.add');
	});

	it('removing a plugin removes its block, its translations included', () => {
		const context = contextOf(file);
		const edit = commitPlan(file, planPluginRemove(context, 'additional-artists-details'));
		assert.equal(edit.registry.plugins.length, original.size - 1);
		assert.doesNotMatch(edit.text, /Weitere Details zu den Künstlern/);
		assertOthersKept(edit.text, 'additional-artists-details');
		assert.doesNotMatch(edit.text, /\n\n\n/);
	});

	it('redirects are added and removed in place', () => {
		const context = contextOf(file);
		const added = commitPlan(
			file,
			planRedirectAdd(context, 'decade', 'https://github.com/old-home/picard-plugin-decade'),
		);
		assert.ok(untouchedOutside(PICARD_TOML, added.text, 'decade'));
		const again = fileOf(added.text);
		const removed = commitPlan(
			again,
			planRedirectRemove(
				contextOf(again),
				'decade',
				'https://GitHub.com/old-home/picard-plugin-decade.git',
			),
		);
		assert.equal(removed.registry.plugins.find((p) => p.id === 'decade')?.redirectFrom.length, 0);
		assertOthersKept(removed.text, 'decade');
	});

	it('refs are added, edited and removed; the last removal drops the key', () => {
		let current = file;
		const step = (plan: (c: ReturnType<typeof contextOf>) => Parameters<typeof commitPlan>[1]) => {
			const edit = commitPlan(current, plan(contextOf(current)));
			assert.ok(untouchedOutside(PICARD_TOML, edit.text, 'decade'));
			current = fileOf(edit.text);
			return edit;
		};
		let edit = step((c) =>
			planRefAdd(c, 'decade', 'picard-v3', { minApiVersion: '3.0', maxApiVersion: '3.99' }),
		);
		let refs = edit.registry.plugins.find((p) => p.id === 'decade')?.refs;
		assert.deepEqual(refs, [
			{ name: 'main' },
			{ name: 'picard-v3', minApiVersion: '3.0', maxApiVersion: '3.99' },
		]);
		edit = step((c) =>
			planRefEdit(c, 'decade', 'picard-v3', { newName: 'v3', description: 'For Picard 3' }),
		);
		refs = edit.registry.plugins.find((p) => p.id === 'decade')?.refs;
		assert.equal(refs?.[1]?.name, 'v3');
		assert.equal(refs?.[1]?.description, 'For Picard 3');
		step((c) => planRefRemove(c, 'decade', 'v3'));
		edit = step((c) => planRefRemove(c, 'decade', 'main'));
		assert.doesNotMatch(
			edit.text.slice(edit.text.indexOf('id = "decade"'), edit.text.indexOf('id = "fanarttv"')),
			/refs/,
		);
		assertOthersKept(edit.text, 'decade');
	});

	it('an update refreshes manifest fields and refuses a new UUID', () => {
		const context = contextOf(file);
		const plugin = context.registry.plugins.find((p) => p.id === 'decade');
		assert.ok(plugin);
		const edit = commitPlan(
			file,
			planPluginUpdate(
				context,
				'decade',
				manifestFacts({ uuid: plugin.uuid.toUpperCase(), name: 'Decade 2' }),
			),
		);
		assert.equal(edit.registry.plugins.find((p) => p.id === 'decade')?.name, 'Decade 2');
		assert.ok(untouchedOutside(PICARD_TOML, edit.text, 'decade'));
		assert.throws(() => planPluginUpdate(context, 'decade', manifestFacts()), {
			code: 'UUID_CHANGE_REJECTED',
		});
	});

	it('blacklist entries are appended and removed; plugins keep their trust', () => {
		const context = contextOf(file, { actor: 'key:abc123' });
		const plan = planBlacklistAdd(context, {
			url: 'https://github.com/evil/picard-plugin-thief',
			reason: 'Steals tokens',
			severity: 'soft',
			versions: '<2.0.0',
			report: 'https://reports.example.org/42',
		});
		const added = commitPlan(file, plan);
		assert.ok(added.text.startsWith(PICARD_TOML.trimEnd()));
		assertOthersKept(added.text, '');
		const [entry] = added.registry.blacklist;
		assert.equal(entry?.severity, 'soft');
		assert.equal(entry?.versions, '<2.0.0');
		assert.equal(entry?.blacklistedAt, EDIT_AT);
		const removed = commitPlan(
			fileOf(added.text),
			planBlacklistRemove(contextOf(fileOf(added.text)), { id: plan.change.subject }),
		);
		assert.equal(removed.text, PICARD_TOML);
	});

	it("Picard's own reader keys stay as they were: api_version and every entry", () => {
		const context = contextOf(file);
		const edit = commitPlan(
			file,
			planPluginEdit(context, 'mod', { trust: 'community', reason: 'Unmaintained' }),
		);
		const registry = parseRegistryText(edit.text, { label: 'x' });
		assert.equal(registry.apiVersion, '3.0');
		assert.equal(registry.plugins.length, original.size);
	});
});
