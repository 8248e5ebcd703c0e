/** `vouch registry review --json` on a real repository, checked against its published schema. */
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { createPluginRepo, manifestToml } from '../../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonOutput } from './schema-check.ts';

const PICARD = new URL(
	'../../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
).pathname;

it('registry review: a candidate reviewed against the Picard registry', async () => {
	const work = makeTempDir('vouch-review-json-');
	const repo = createPluginRepo({
		dir: join(work, 'picard-plugin-beat-counter'),
		manifest: manifestToml({ name: 'Beat Counter', description: 'Counts beats' }),
	});
	const registry = join(work, 'plugins.toml');
	copyFileSync(PICARD, registry);
	const run = await runVouch([
		'registry',
		'review',
		repo.url,
		'--registry',
		registry,
		'--offline-mirror',
		'--json',
	]);
	assert.notEqual(run.code, 2, run.stderr);
	const document = assertJsonOutput(run, 'registry review');
	assert.equal((document.plugins as { id: string }[])[0]?.id, 'beat-counter');
});
