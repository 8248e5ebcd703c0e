/**
 * `vouch registry plugin | ref | blacklist | stats | output` on a copy of the real Picard
 * registry: the commands and flags of Picard's registry tool, `--json` change records, prompts
 * (refused without a terminal unless --yes), and the file left alone when an edit is refused.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { generateEd25519Key } from '@vouch/library/internal/tuf/ed25519';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { parseJson, runVouch } from '../helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './schema-check.ts';

const FIXTURE = new URL(
	'../../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
);
const ORIGINAL = readFileSync(FIXTURE, 'utf8');

/** A directory holding a fresh copy as `plugins.toml`, the default --registry. */
function workspace(): { dir: string; file: string; text: () => string } {
	const dir = makeTempDir('vouch-registry-edit-');
	const file = join(dir, 'plugins.toml');
	copyFileSync(FIXTURE, file);
	return { dir, file, text: () => readFileSync(file, 'utf8') };
}

describe('vouch registry plugin', () => {
	it('edit --trust needs --reason; with it, records the reason and actor', async () => {
		const ws = workspace();
		const refused = await runVouch(
			['registry', 'plugin', 'edit', 'decade', '--trust', 'official', '--json'],
			{ cwd: ws.dir },
		);
		assertJsonError(refused, 1, 'INVALID_EDIT');
		assert.equal(ws.text(), ORIGINAL);

		const run = await runVouch(
			[
				'registry',
				'plugin',
				'edit',
				'decade',
				'--trust',
				'official',
				'--reason',
				'Code reviewed',
				'--actor',
				'alice',
				'--json',
			],
			{ cwd: ws.dir },
		);
		const document = assertJsonOutput(run, 'registry plugin edit');
		const change = document.change as Record<string, unknown>;
		assert.equal(change.action, 'plugin.edit');
		assert.equal(change.actor, 'alice');
		assert.equal(change.reason, 'Code reviewed');
		assert.equal(change.at, '2026-11-28T12:00:00Z');
		const registry = parseRegistryText(ws.text(), { label: 'x' });
		assert.equal(registry.plugins.find((p) => p.id === 'decade')?.trustLevel, 'official');
		assert.match(ws.text(), /actor = "alice"/);
	});

	it("--key records the signing key's id as the actor", async () => {
		const ws = workspace();
		const key = generateEd25519Key();
		const pem = join(ws.dir, 'targets.pem');
		writeFileSync(pem, key.privatePem, { mode: 0o600 });
		const run = await runVouch(
			[
				'registry',
				'plugin',
				'edit',
				'mod',
				'--trust',
				'community',
				'--reason',
				'Unmaintained',
				'--key',
				pem,
				'--json',
			],
			{ cwd: ws.dir },
		);
		assert.equal(run.code, 0, run.stderr);
		assert.equal((parseJson(run).change as { actor: string }).actor, `key:${key.keyId}`);
		assert.match(ws.text(), new RegExp(`actor = "key:${key.keyId}"`));
	});

	it('--actor and --key together are a usage error', async () => {
		const ws = workspace();
		const run = await runVouch(
			[
				'registry',
				'plugin',
				'edit',
				'decade',
				'--categories',
				'ui',
				'--actor',
				'a',
				'--key',
				'k.pem',
			],
			{ cwd: ws.dir },
		);
		assert.equal(run.code, 2);
		assert.equal(ws.text(), ORIGINAL);
	});

	it('a hostile entry id in the file is shown sanitised', async () => {
		const ws = workspace();
		writeFileSync(
			ws.file,
			`${ORIGINAL}\n[[blacklist]]\nid = "bl-\\u001b[2J\\u001b]0;pwned\\u0007"\nurl = "https://github.com/evil/x"\nreason = "r\\u001b[31m"\n`,
		);
		const run = await runVouch(['registry', 'blacklist', 'list'], { cwd: ws.dir });
		assert.equal(run.code, 0, run.stderr);
		assert.ok(!run.stdout.includes('\u001b') && !run.stdout.includes('\u0007'), run.stdout);
	});

	it('list, show and an unknown id', async () => {
		const ws = workspace();
		const list = await runVouch(['registry', 'plugin', 'list', '--trust', 'official', '--json'], {
			cwd: ws.dir,
		});
		const listed = assertJsonOutput(list, 'registry plugin list');
		assert.deepEqual(
			(listed.plugins as { id: string }[]).map((p) => p.id),
			['replaygain2', 'view-script-variables'],
		);
		const byCategory = await runVouch(
			['registry', 'plugin', 'list', '--category', 'coverart', '--verbose'],
			{ cwd: ws.dir },
		);
		assert.match(byCategory.stdout, /fanarttv/);
		const show = await runVouch(['registry', 'plugin', 'show', 'decade', '--json'], {
			cwd: ws.dir,
		});
		assert.equal(
			(assertJsonOutput(show, 'registry plugin show').entry as { git_url: string }).git_url,
			'https://git.sr.ht/~phw/picard-plugin-decade',
		);
		const missing = await runVouch(['registry', 'plugin', 'show', 'nope', '--json'], {
			cwd: ws.dir,
		});
		assertJsonError(missing, 1, 'PLUGIN_NOT_IN_REGISTRY');
	});

	it('remove asks: refused without a terminal, declined at one, done with --yes', async () => {
		const ws = workspace();
		const refused = await runVouch(['registry', 'plugin', 'remove', 'decade'], { cwd: ws.dir });
		assert.equal(refused.code, 1);
		assert.match(refused.stderr, /--yes/);
		const declined = await runVouch(['registry', 'plugin', 'remove', 'decade'], {
			cwd: ws.dir,
			stdin: 'n\n',
		});
		assert.equal(declined.code, 130);
		assert.equal(ws.text(), ORIGINAL);
		const agreed = await runVouch(['registry', 'plugin', 'remove', 'decade'], {
			cwd: ws.dir,
			stdin: 'yes\n',
		});
		assert.equal(agreed.code, 0, agreed.stderr);
		assert.doesNotMatch(ws.text(), /id = "decade"/);
		const yes = await runVouch(['registry', 'plugin', 'remove', 'mod', '--yes', '--json'], {
			cwd: ws.dir,
		});
		assert.equal(assertJsonOutput(yes, 'registry plugin remove').changed, true);
	});

	it('redirect adds, lists and removes old URLs; a clash with another plugin is refused', async () => {
		const ws = workspace();
		const old = 'https://github.com/phw/picard-plugin-decade';
		const added = await runVouch(['registry', 'plugin', 'redirect', 'decade', old, '--json'], {
			cwd: ws.dir,
		});
		assert.deepEqual(assertJsonOutput(added, 'registry plugin redirect').redirects, [old]);
		const listed = await runVouch(
			['registry', 'plugin', 'redirect', 'decade', '--list', '--json'],
			{ cwd: ws.dir },
		);
		assert.deepEqual(assertJsonOutput(listed, 'registry plugin redirect').redirects, [old]);
		const clash = await runVouch(
			[
				'registry',
				'plugin',
				'redirect',
				'decade',
				'https://github.com/rdswift/picard-plugin-view-script-variables',
				'--json',
			],
			{ cwd: ws.dir },
		);
		assertJsonError(clash, 1, 'DUPLICATE_ENTRY');
		const removed = await runVouch(
			['registry', 'plugin', 'redirect', 'decade', `${old}.git`, '--remove', '--json'],
			{ cwd: ws.dir },
		);
		assert.deepEqual(assertJsonOutput(removed, 'registry plugin redirect').redirects, []);
	});

	it('a URL given as --registry is refused: only files are edited', async () => {
		const run = await runVouch([
			'registry',
			'plugin',
			'list',
			'--registry',
			'https://example.org/plugins.toml',
		]);
		assert.equal(run.code, 2);
	});
});

describe('vouch registry ref', () => {
	it("add, edit, list and remove with the flags of Picard's tool", async () => {
		const ws = workspace();
		const add = await runVouch(
			[
				'registry',
				'ref',
				'add',
				'decade',
				'picard-v3',
				'--min-api-version',
				'3.0',
				'--max-api-version',
				'3.99',
				'--description',
				'Picard 3',
				'--json',
			],
			{ cwd: ws.dir },
		);
		assert.equal(assertJsonOutput(add, 'registry ref add').changed, true);
		const edit = await runVouch(
			[
				'registry',
				'ref',
				'edit',
				'decade',
				'picard-v3',
				'--name',
				'v3',
				'--description',
				'',
				'--json',
			],
			{ cwd: ws.dir },
		);
		assertJsonOutput(edit, 'registry ref edit');
		const list = await runVouch(['registry', 'ref', 'list', 'decade', '--json'], { cwd: ws.dir });
		assert.deepEqual(assertJsonOutput(list, 'registry ref list').refs, [
			{ name: 'main' },
			{ name: 'v3', min_api_version: '3.0', max_api_version: '3.99' },
		]);
		const duplicate = await runVouch(['registry', 'ref', 'add', 'decade', 'main', '--json'], {
			cwd: ws.dir,
		});
		assertJsonError(duplicate, 1, 'DUPLICATE_ENTRY');
		const remove = await runVouch(['registry', 'ref', 'remove', 'decade', 'v3', '--json'], {
			cwd: ws.dir,
		});
		assertJsonOutput(remove, 'registry ref remove');
		const bad = await runVouch(
			['registry', 'ref', 'add', 'decade', 'x', '--min-api-version', 'three', '--json'],
			{ cwd: ws.dir },
		);
		assertJsonError(bad, 1, 'INVALID_EDIT');
	});

	it('refuses a reason the change journal cannot hold before the file is written', async () => {
		const ws = workspace();
		// Longer than the journal's bound, and with an escape the log refuses: either written to
		// the file first would leave a change with no record, or one the publish stops at.
		for (const reason of ['x'.repeat(2001), 'reviewed \u001b[2J by me']) {
			const run = await runVouch(
				['registry', 'ref', 'add', 'decade', 'dev', '--reason', reason, '--yes', '--json'],
				{ cwd: ws.dir },
			);
			assertJsonError(run, 1, 'INVALID_EDIT');
			assert.equal(ws.text(), ORIGINAL);
		}
		const lines = await runVouch(
			['registry', 'ref', 'add', 'decade', 'dev', '--reason', 'two\nlines', '--yes', '--json'],
			{ cwd: ws.dir },
		);
		assert.equal(assertJsonOutput(lines, 'registry ref add').changed, true);
		const journal = readFileSync(`${ws.file}.changes.jsonl`, 'utf8').trim().split('\n');
		assert.equal(journal.length, 1);
		assert.equal(JSON.parse(journal[0] as string).reason, 'two\nlines');
	});
});

describe('vouch registry blacklist', () => {
	it('add with severity, versions and report; list shows the id; remove <id> removes it', async () => {
		const ws = workspace();
		const add = await runVouch(
			[
				'registry',
				'blacklist',
				'add',
				'--url',
				'https://github.com/evil/thief',
				'--reason',
				'Steals tokens',
				'--severity',
				'soft',
				'--versions',
				'<2',
				'--report',
				'https://reports.example.org/7',
				'--actor',
				'carol',
				'--json',
			],
			{ cwd: ws.dir },
		);
		const change = assertJsonOutput(add, 'registry blacklist add').change as {
			subject: string;
			report: string;
		};
		assert.equal(change.report, 'https://reports.example.org/7');
		const list = await runVouch(['registry', 'blacklist', 'list', '--json'], { cwd: ws.dir });
		const [entry] = assertJsonOutput(list, 'registry blacklist list').entries as Record<
			string,
			unknown
		>[];
		assert.equal(entry?.id, change.subject);
		assert.equal(entry?.severity, 'soft');
		assert.equal(entry?.actor, 'carol');
		const show = await runVouch(
			['registry', 'blacklist', 'show', '--url', 'https://GITHUB.com/evil/thief.git', '--json'],
			{ cwd: ws.dir },
		);
		assert.equal(assertJsonOutput(show, 'registry blacklist show').count, 1);
		const remove = await runVouch(
			['registry', 'blacklist', 'remove', change.subject, '--yes', '--json'],
			{ cwd: ws.dir },
		);
		assertJsonOutput(remove, 'registry blacklist remove');
		assert.equal(ws.text(), ORIGINAL);
	});

	it('add --commit --incident --advice writes them; list shows them; bad values are refused', async () => {
		const ws = workspace();
		const commit = 'AB'.repeat(20);
		const add = await runVouch(
			[
				'registry',
				'blacklist',
				'add',
				'--uuid',
				'9e0c8d6a-1b2f-4c3d-8e4f-5a6b7c8d9e0f',
				'--commit',
				commit,
				'--reason',
				'Account takeover',
				'--incident',
				'https://registry.example/incidents/9',
				'--advice',
				'Rotate the tokens this plugin could read.',
				'--json',
			],
			{ cwd: ws.dir },
		);
		assertJsonOutput(add, 'registry blacklist add');
		assert.match(ws.text(), new RegExp(`\ncommit = "${commit.toLowerCase()}"\n`));
		const list = await runVouch(['registry', 'blacklist', 'list', '--json'], { cwd: ws.dir });
		const [entry] = assertJsonOutput(list, 'registry blacklist list').entries as Record<
			string,
			unknown
		>[];
		assert.equal(entry?.commit, commit.toLowerCase());
		assert.equal(entry?.incident, 'https://registry.example/incidents/9');
		assert.equal(entry?.advice, 'Rotate the tokens this plugin could read.');
		const human = await runVouch(['registry', 'blacklist', 'list'], { cwd: ws.dir });
		assert.match(human.stdout, /incident https:\/\/registry\.example\/incidents\/9/);
		assert.match(human.stdout, /advice Rotate the tokens/);
		const before = ws.text();
		for (const bad of [
			['--commit', 'abc123'],
			['--incident', 'http://registry.example/incidents/9'],
			['--advice', 'a\u001b[2Jb'],
		]) {
			const refused = await runVouch(
				[
					'registry',
					'blacklist',
					'add',
					'--url',
					'https://github.com/evil/x',
					'--reason',
					'r',
					...bad,
					'--json',
				],
				{ cwd: ws.dir },
			);
			assertJsonError(refused, 1, 'INVALID_EDIT');
		}
		assert.equal(ws.text(), before);
	});

	it('a pattern that blocks registry plugins names them and needs a yes', async () => {
		const ws = workspace();
		const run = await runVouch(
			['registry', 'blacklist', 'add', '--url-regex', 'github\\.com/metabrainz/', '--reason', 'x'],
			{ cwd: ws.dir },
		);
		assert.equal(run.code, 1);
		assert.match(run.stderr, /replaygain2/);
		assert.match(run.stderr, /view-script-variables/);
		assert.equal(ws.text(), ORIGINAL);
		const agreed = await runVouch(
			[
				'registry',
				'blacklist',
				'add',
				'--url-regex',
				'github\\.com/metabrainz/',
				'--reason',
				'x',
				'--yes',
			],
			{ cwd: ws.dir },
		);
		assert.equal(agreed.code, 0, agreed.stderr);
		const unusable = await runVouch(
			['registry', 'blacklist', 'add', '--url-regex', '(a)\\1', '--reason', 'x', '--json'],
			{ cwd: ws.dir },
		);
		assertJsonError(unusable, 1, 'INVALID_EDIT');
	});
});

describe('vouch registry stats and output', () => {
	it('stats counts per trust level and category', async () => {
		const ws = workspace();
		const run = await runVouch(['registry', 'stats', '--json'], { cwd: ws.dir });
		const stats = assertJsonOutput(run, 'registry stats');
		assert.deepEqual(stats.byTrust, { official: 2, trusted: 23, community: 1 });
		assert.equal(stats.plugins, 26);
	});

	it('output prints the file as TOML, JSON, or a human list', async () => {
		const ws = workspace();
		const toml = await runVouch(['registry', 'output', '--format', 'toml'], { cwd: ws.dir });
		assert.equal(toml.stdout, ORIGINAL);
		const json = await runVouch(['registry', 'output', '--format', 'json'], { cwd: ws.dir });
		assert.equal((JSON.parse(json.stdout).plugins as unknown[]).length, 26);
		const jsonFile = join(ws.dir, 'plugins.json');
		writeFileSync(jsonFile, json.stdout);
		const back = await runVouch(['registry', 'output', '--format', 'toml', '--registry', jsonFile]);
		assert.deepEqual(
			parseRegistryText(back.stdout, { label: 'x' }).plugins.map((p) => [p.id, p.trustLevel]),
			parseRegistryText(ORIGINAL, { label: 'x' }).plugins.map((p) => [p.id, p.trustLevel]),
		);
		const human = await runVouch(['registry', 'output'], { cwd: ws.dir });
		assert.match(human.stdout, /decade \[trusted\] Decade function/);
	});

	it('edits a JSON registry too', async () => {
		const ws = workspace();
		const json = await runVouch(['registry', 'output', '--format', 'json'], { cwd: ws.dir });
		const jsonFile = join(ws.dir, 'plugins.json');
		writeFileSync(jsonFile, json.stdout);
		const run = await runVouch([
			'registry',
			'plugin',
			'edit',
			'decade',
			'--categories',
			'ui,metadata',
			'--registry',
			jsonFile,
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(
			JSON.parse(readFileSync(jsonFile, 'utf8')).plugins.find(
				(p: { id: string }) => p.id === 'decade',
			).categories,
			['ui', 'metadata'],
		);
	});
});
