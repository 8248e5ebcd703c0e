/**
 * Hostile input reaching the TOML writer: manifest text meant to break out of its string and
 * add tables or keys, odd layouts the editor must refuse rather than misread, and JSON sources.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyRegistryEdits, decodeRaw, sha256Hex } from '../../../src/registry/edit/apply.ts';
import { encodeRegistryChange } from '../../../src/registry/edit/change.ts';
import { commitPlan } from '../../../src/registry/edit/plan.ts';
import { parseRefsSpec } from '../../../src/registry/edit/plugin-entry.ts';
import {
	planPluginAdd,
	planPluginEdit,
	planPluginUpdate,
} from '../../../src/registry/edit/plugin-plans.ts';
import { planRedirectAdd } from '../../../src/registry/edit/redirect-plans.ts';
import { tomlKey, tomlString } from '../../../src/registry/edit/toml-write.ts';
import { contextOf, fileOf, manifestFacts, PICARD_TOML } from './edit-helpers.ts';

const HOSTILE = [
	'Nice"\n[[blacklist]]\nurl_regex = ".*"',
	"Nice'''\n]]\n[plugins]\ntrust_level = \"official\"",
	'Tab\tBell\u0007Esc\u001b[31mDel\u007fNul\u0000',
	'"""\\u0000\\',
	'x = 1 # not a comment',
	'\u202eright-to-left\u2028line',
];

function addHostile(name: string, description: string) {
	const file = fileOf(PICARD_TOML);
	return commitPlan(
		file,
		planPluginAdd(contextOf(file), {
			gitUrl: 'https://example.org/a/picard-plugin-hostile',
			manifests: [
				manifestFacts({
					name,
					description,
					authors: [name],
					nameI18n: { de: name },
					descriptionI18n: { pt_BR: description },
				}),
			],
			trust: 'community',
			refs: [],
		}),
	);
}

describe('hostile manifest text cannot add tables or keys', () => {
	for (const text of HOSTILE) {
		it(`keeps ${JSON.stringify(text).slice(0, 40)} inside its value`, () => {
			const edit = addHostile(text, text);
			assert.equal(edit.registry.blacklist.length, 0);
			const plugin = edit.registry.plugins.find((p) => p.id === 'hostile');
			assert.equal(plugin?.name, text);
			assert.equal(plugin?.description, text);
			assert.equal(plugin?.trustLevel, 'community');
			assert.deepEqual(plugin?.nameI18n, { de: text });
			assert.equal(decodeRaw(fileOf(edit.text)).blacklist, undefined);
		});
	}

	it('any string round-trips through tomlString, and any key through tomlKey', () => {
		fc.assert(
			fc.property(
				fc.string({ unit: 'grapheme' }),
				fc
					.string({ unit: 'grapheme', minLength: 1 })
					// The decoder drops these keys on purpose (no prototype pollution); an edit writing one is refused by the re-parse check.
					.filter((key) => !['__proto__', 'constructor', 'prototype'].includes(key)),
				(value, key) => {
					const doc = decodeRaw(fileOf(`${tomlKey(key)} = ${tomlString(value)}\n`));
					assert.deepEqual(Object.entries(doc), [[key, value]]);
				},
			),
		);
	});

	it('an entry the reader would skip (a locale key outside its pattern) is refused', () => {
		assert.throws(
			() =>
				addHostile('Fine', 'Fine') &&
				commitPlan(
					fileOf(PICARD_TOML),
					planPluginAdd(contextOf(fileOf(PICARD_TOML)), {
						gitUrl: 'https://example.org/a/picard-plugin-odd',
						manifests: [manifestFacts({ nameI18n: { 'de"]\n[x': 'y' } })],
						trust: 'community',
						refs: [],
					}),
				),
			{ code: 'REGISTRY_EDIT_REFUSED' },
		);
	});

	it('a lone surrogate is refused, not written', () => {
		assert.throws(() => tomlString('a\ud800b'), { code: 'REGISTRY_EDIT_REFUSED' });
	});
});

describe('layouts the editor does not handle are refused, the file untouched', () => {
	it('plugins written as an inline array', () => {
		const text = `plugins = [{ id = "a", uuid = "${manifestFacts().uuid}", name = "A", git_url = "https://x.org/a", trust_level = "trusted" }]\n`;
		const file = fileOf(text);
		assert.throws(
			() =>
				planPluginEdit(contextOf(file), 'a', { trust: 'community', reason: 'x' }) &&
				commitPlan(file, planPluginEdit(contextOf(file), 'a', { trust: 'community', reason: 'x' })),
			{
				code: 'REGISTRY_EDIT_REFUSED',
			},
		);
	});

	it('a change history written as an inline array cannot be appended to as a table', () => {
		const text = `[[plugins]]\nid = "a"\nuuid = "${manifestFacts().uuid}"\nname = "A"\ngit_url = "https://x.org/a"\ntrust_level = "trusted"\nchanges = []\n`;
		const file = fileOf(text);
		assert.throws(
			() =>
				commitPlan(file, planPluginEdit(contextOf(file), 'a', { trust: 'community', reason: 'x' })),
			{
				code: 'REGISTRY_EDIT_REFUSED',
			},
		);
	});

	it('comments, CRLF line ends and trailing comments elsewhere are kept', () => {
		const text = `# Registry\r\napi_version = "3.0" # the format\r\n\r\n# First plugin\r\n[[plugins]]\r\nid = "a"\r\nuuid = "${manifestFacts().uuid}"\r\nname = "A" # shown\r\ngit_url = "https://x.org/a"\r\ntrust_level = "trusted" # since 2025\r\n\r\n# end\r\n`;
		const file = fileOf(text);
		const edit = commitPlan(
			file,
			planPluginEdit(contextOf(file), 'a', { categories: ['ui'], trust: 'community', reason: 'x' }),
		);
		assert.ok(edit.text.includes('name = "A" # shown\r\n'));
		assert.ok(edit.text.includes('trust_level = "community" # since 2025\r\n'));
		assert.ok(
			edit.text.startsWith(
				'# Registry\r\napi_version = "3.0" # the format\r\n\r\n# First plugin\r\n',
			),
		);
		assert.ok(edit.text.endsWith('\r\n\r\n# end\r\n'));
		assert.doesNotMatch(edit.text.replaceAll('\r\n', ''), /\n/);
	});
});

describe('JSON registries and change records', () => {
	it('a JSON registry is rewritten whole and read the same', () => {
		const toml = fileOf(PICARD_TOML);
		const json = fileOf(JSON.stringify(decodeRaw(toml), null, 2), 'json');
		const edit = commitPlan(
			json,
			planPluginEdit(contextOf(json), 'decade', { trust: 'official', reason: 'Reviewed' }),
		);
		assert.equal(edit.registry.format, 'json');
		assert.equal(edit.registry.plugins.find((p) => p.id === 'decade')?.trustLevel, 'official');
	});

	it('the record carries the SHA-256 of the text before and after, and encodes canonically', () => {
		const file = fileOf(PICARD_TOML);
		const edit = commitPlan(
			file,
			planPluginEdit(contextOf(file, { actor: 'bob' }), 'decade', { categories: [] }),
		);
		assert.equal(edit.change.registrySha256Before, sha256Hex(PICARD_TOML));
		assert.equal(edit.change.registrySha256After, sha256Hex(edit.text));
		const bytes = new TextDecoder().decode(encodeRegistryChange(edit.change));
		assert.ok(bytes.startsWith('{"action":"plugin.edit","actor":"bob","at":'));
		assert.doesNotMatch(bytes, /\s"/);
	});

	it('an edit that changes nothing produces no primitive changes', () => {
		const file = fileOf(PICARD_TOML);
		const plan = planPluginEdit(contextOf(file), 'decade', { categories: ['scripting'] });
		assert.deepEqual(plan.ops, []);
		assert.equal(applyRegistryEdits(file, plan.ops).text, PICARD_TOML);
	});

	it("the refs spec of Picard's tool is read as it documents", () => {
		assert.deepEqual(parseRefsSpec('main:4.0,picard-v3:3.0-3.99'), [
			{ name: 'main', min_api_version: '4.0' },
			{ name: 'picard-v3', min_api_version: '3.0', max_api_version: '3.99' },
		]);
		for (const bad of ['main:x', '-x', 'a,a', 'a:1-2-3', 'a b']) {
			assert.throws(() => parseRefsSpec(bad), { code: 'INVALID_EDIT' }, bad);
		}
	});

	it('a duplicate URL in another spelling, or a non-https URL, is refused on add', () => {
		const file = fileOf(PICARD_TOML);
		const add = (gitUrl: string, uuid = '9f0e3b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b') =>
			planPluginAdd(contextOf(file, { registryIsLocal: false }), {
				gitUrl,
				manifests: [manifestFacts({ uuid })],
				trust: 'community',
				refs: [],
			});
		assert.throws(() => add('https://GitHub.com/dvirtz/picard-plugin-add-to-collection.git/'), {
			code: 'DUPLICATE_ENTRY',
		});
		assert.throws(() => add('https://example.org/x/new', '3713d8f5-72b0-401d-9ec9-3818380bc576'), {
			code: 'DUPLICATE_ENTRY',
		});
		assert.throws(() => add('http://example.org/x/new'), { code: 'INVALID_EDIT' });
		assert.throws(() => add('/srv/plugins/new'), { code: 'INVALID_EDIT' });
		assert.throws(() => add('ext::sh -c evil'), { code: 'INVALID_EDIT' });
		assert.equal(add('https://example.org/x/new').change.subject, 'new');
	});

	it('a URL carrying credentials, spaces, control characters or a leading "-" is never written', () => {
		const file = fileOf(PICARD_TOML);
		for (const registryIsLocal of [false, true]) {
			const context = contextOf(file, { registryIsLocal });
			const add = (gitUrl: string) =>
				planPluginAdd(context, {
					gitUrl,
					manifests: [manifestFacts({ uuid: '9f0e3b7a-1c2d-4e5f-8a9b-0c1d2e3f4a5b' })],
					trust: 'community',
					refs: [],
				});
			for (const url of [
				// D2: a maintainer's token pasted with the URL would be published to everyone.
				'https://maintainer:ghp_secret@github.com/x/new',
				'https://ghp_secret@github.com/x/new',
				// Reads as github.com, fetches from evil.example.
				'https://github.com@evil.example/x/new',
				' https://example.org/x/new',
				'https://example.org/x/new\n',
				'https://example.org/x/new\u0000',
				'https://example.org/x/\u202enew',
			]) {
				assert.throws(() => add(url), { code: 'INVALID_EDIT' }, JSON.stringify(url));
			}
			if (registryIsLocal) {
				// A local path spelt as an option would reach a tool that passes it to git unguarded.
				assert.throws(() => add('--upload-pack=touch pwned'), { code: 'INVALID_EDIT' });
				assert.throws(() => add('-uhack'), { code: 'INVALID_EDIT' });
			}
			const old = (url: string) => planRedirectAdd(context, 'decade', url, { reason: 'moved' });
			assert.throws(() => old('https://u:p@github.com/x/old'), { code: 'INVALID_EDIT' });
		}
		// A level above community is a trust decision: it needs a reason too.
		assert.throws(
			() =>
				planPluginAdd(contextOf(file), {
					gitUrl: 'https://example.org/x/new',
					manifests: [manifestFacts()],
					trust: 'official',
					refs: [],
				}),
			{ code: 'INVALID_EDIT' },
		);
	});

	it("a manifest name that is another plugin's, or reads the same, is not copied", () => {
		const file = fileOf(PICARD_TOML);
		const context = contextOf(file);
		const decadeUuid = context.registry.plugins.find((p) => p.id === 'decade')?.uuid as string;
		const imitations = [
			'Add to Collection',
			'add to collection ',
			'\u0410dd to Collection', // Cyrillic А
			'Add to Col\u3164lection', // Hangul filler
			'Add to C\u0585llection', // Armenian օ
		];
		for (const name of imitations) {
			assert.throws(
				() =>
					planPluginAdd(context, {
						gitUrl: 'https://example.org/a/picard-plugin-imitation',
						manifests: [manifestFacts({ name })],
						trust: 'community',
						refs: [],
					}),
				{ code: 'INVALID_EDIT', message: /add-to-collection/ },
				name,
			);
			// An upstream rename copied by `plugin update` is held to the same rule.
			assert.throws(
				() => planPluginUpdate(context, 'decade', manifestFacts({ uuid: decadeUuid, name })),
				{ code: 'INVALID_EDIT' },
				name,
			);
		}
		// A close but honest name passes (the review asks a person about those).
		const close = planPluginUpdate(
			context,
			'decade',
			manifestFacts({ uuid: decadeUuid, name: 'Add to Collections' }),
		);
		assert.ok(close.ops.length > 0);
	});
});
