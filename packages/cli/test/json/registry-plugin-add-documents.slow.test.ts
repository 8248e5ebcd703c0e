/**
 * `vouch registry plugin add | update` against real local git repositories (file:// URLs, which
 * a registry kept as a local file may list, D11): MANIFEST.toml read at every ref through a
 * real clone, fields copied as Picard's tool copies them, a UUID change refused, and hostile
 * manifest text kept inside its strings.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import {
	createPluginRepo,
	manifestToml,
	TEST_PLUGIN_UUID,
} from '../../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './schema-check.ts';

const FIXTURE = new URL(
	'../../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
);
const ORIGINAL = readFileSync(FIXTURE, 'utf8');

function workspace() {
	const dir = makeTempDir('vouch-registry-add-');
	const file = join(dir, 'plugins.toml');
	copyFileSync(FIXTURE, file);
	return { dir, file, text: () => readFileSync(file, 'utf8') };
}

const I18N = '\n[name_i18n]\nde = "Werkzeuge"\n\n[description_i18n]\nfr = "Des outils"\n';

function pluginRepo(name: string, manifest: string) {
	return createPluginRepo({ dir: join(makeTempDir('vouch-plugin-src-'), name), manifest });
}

describe('vouch registry plugin add and update', () => {
	it('clones, reads MANIFEST.toml at every ref, and writes the entry as Picard does', async () => {
		const repo = pluginRepo(
			'picard-plugin-bpm-tools',
			manifestToml(
				{ name: 'BPM Tools', description: 'Tempo helpers' },
				`authors = ["Ann"]\ncategories = ["metadata"]${I18N}`,
			),
		);
		repo.branch('picard-v3');
		repo.tag('v1.0.0');
		const ws = workspace();
		const run = await runVouch(
			[
				'registry',
				'plugin',
				'add',
				repo.url,
				'--refs',
				'main:4.0,picard-v3:3.0-3.99',
				'--trust',
				'trusted',
				'--reason',
				'Known author',
				'--versioning-scheme',
				'semver',
				'--json',
			],
			{ cwd: ws.dir },
		);
		const document = assertJsonOutput(run, 'registry plugin add');
		assert.equal((document.change as { subject: string }).subject, 'bpm-tools');
		const registry = parseRegistryText(ws.text(), { label: ws.file, cwd: ws.dir });
		const entry = registry.plugins.find((plugin) => plugin.id === 'bpm-tools');
		assert.ok(entry);
		assert.equal(entry.uuid, TEST_PLUGIN_UUID);
		assert.equal(entry.name, 'BPM Tools');
		assert.equal(entry.trustLevel, 'trusted');
		assert.deepEqual(entry.authors, ['Ann']);
		assert.deepEqual(entry.categories, ['metadata']);
		assert.deepEqual(entry.nameI18n, { de: 'Werkzeuge' });
		assert.deepEqual(entry.refs, [
			{ name: 'main', minApiVersion: '4.0' },
			{ name: 'picard-v3', minApiVersion: '3.0', maxApiVersion: '3.99' },
		]);
		assert.equal(entry.addedAt, '2026-11-28T12:00:00Z');
		assert.equal(registry.plugins.length, 27);

		// The same repository again, under another spelling: a duplicate.
		const again = await runVouch(['registry', 'plugin', 'add', `${repo.url}/`, '--json'], {
			cwd: ws.dir,
		});
		const error = assertJsonError(again, 1, 'DUPLICATE_ENTRY');
		assert.match(error.message, /bpm-tools is already in the registry/);
		assert.match(error.hint ?? '', /vouch registry plugin edit bpm-tools/);

		// Another repository of the same name: its derived id is taken, and --id gives it its own.
		const other = pluginRepo(
			'picard-plugin-bpm-tools',
			manifestToml({ name: 'Other BPM', uuid: '5e4d3c2b-1a09-4f8e-8d7c-6b5a49382716' }),
		);
		const clash = await runVouch(['registry', 'plugin', 'add', other.url, '--json'], {
			cwd: ws.dir,
		});
		assert.match(assertJsonError(clash, 1, 'DUPLICATE_ENTRY').hint ?? '', /--id <id>/);
		const ownId = await runVouch(
			['registry', 'plugin', 'add', other.url, '--id', 'other-bpm-tools', '--json'],
			{ cwd: ws.dir },
		);
		assert.equal(
			(assertJsonOutput(ownId, 'registry plugin add').change as { subject: string }).subject,
			'other-bpm-tools',
		);
		assertJsonError(
			await runVouch(['registry', 'plugin', 'add', other.url, '--id', 'Not An Id', '--json'], {
				cwd: ws.dir,
			}),
			2,
			'INVALID_REGISTRY_ID',
		);

		// update: new name upstream, same UUID.
		repo.commit({
			'MANIFEST.toml': manifestToml(
				{ name: 'BPM Tools 2', description: 'Tempo helpers' },
				`authors = ["Ann", "Bo"]${I18N}`,
			),
		});
		const update = await runVouch(['registry', 'plugin', 'update', 'bpm-tools', '--json'], {
			cwd: ws.dir,
		});
		const fields = (
			assertJsonOutput(update, 'registry plugin update').change as { fields: { field: string }[] }
		).fields;
		assert.deepEqual(
			fields.map((f) => f.field),
			['name', 'authors'],
		);
		// A UUID change upstream is refused, and the file is left as it was.
		const before = ws.text();
		repo.commit({
			'MANIFEST.toml': manifestToml({ uuid: '0d7c6b5a-4e3f-4a1b-9c8d-7e6f5a4b3c2d' }),
		});
		const changed = await runVouch(['registry', 'plugin', 'update', 'bpm-tools', '--json'], {
			cwd: ws.dir,
		});
		assertJsonError(changed, 1, 'UUID_CHANGE_REJECTED');
		assert.equal(ws.text(), before);
	});

	it('a ref that does not exist, or an invalid manifest at a ref, refuses the plugin', async () => {
		const repo = pluginRepo('picard-plugin-two-refs', manifestToml());
		repo.branch('broken');
		const ws = workspace();
		const missing = await runVouch(
			['registry', 'plugin', 'add', repo.url, '--refs', 'main,nope', '--json'],
			{ cwd: ws.dir },
		);
		assertJsonError(missing, 1, 'SOURCE_NOT_FOUND');
		repo.switchTo('broken');
		repo.commit({ 'MANIFEST.toml': 'name = "no uuid"\n' });
		const invalid = await runVouch(
			['registry', 'plugin', 'add', repo.url, '--refs', 'main,broken', '--json'],
			{ cwd: ws.dir },
		);
		assertJsonError(invalid, 1, 'MANIFEST_INVALID');
		assert.equal(ws.text(), ORIGINAL);
	});

	it('hostile manifest text stays inside its strings', async () => {
		const hostile = 'Nice" ]]\\n[[blacklist]] url_regex = ".*" \\u0007';
		const repo = pluginRepo(
			'picard-plugin-hostile',
			manifestToml(
				{ name: 'Hostile', description: 'x' },
				`authors = [${JSON.stringify(hostile)}]\n[name_i18n]\n"de" = ${JSON.stringify(hostile)}\n`,
			),
		);
		const ws = workspace();
		const run = await runVouch(['registry', 'plugin', 'add', repo.url, '--json'], { cwd: ws.dir });
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const registry = parseRegistryText(ws.text(), { label: ws.file, cwd: ws.dir });
		assert.equal(registry.blacklist.length, 0);
		const entry = registry.plugins.find((plugin) => plugin.id === 'hostile');
		assert.equal(entry?.trustLevel, 'community');
		assert.deepEqual(entry?.authors, [JSON.parse(JSON.stringify(hostile))]);
	});
});
