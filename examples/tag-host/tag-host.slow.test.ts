/**
 * The tag-host example, run as a developer runs it (a child process from the repository), in
 * both modes: the well-behaved plugin works; the one that reaches past its declared
 * capabilities is stopped in isolated mode and not in-process; the one that fails in enable
 * is disabled by the crash-loop rule, and `list` shows the reason.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createVouch } from '@vouch/library';
import { exampleArgv } from '../example-argv.ts';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../../', import.meta.url));

async function runExample(mode: string) {
	const state = mkdtempSync(join(tmpdir(), 'vouch-tag-host-test-'));
	const { stdout } = await promisify(execFile)(
		process.execPath,
		[...exampleArgv(MAIN), '--mode', mode, '--state', state, 'title=a day in the life'],
		{
			cwd: REPOSITORY,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: join(state, 'home') },
		},
	);
	return { stdout, state };
}

describe('examples/tag-host', () => {
	it('isolated: the overreacher is stopped, the crasher disabled for crash_loop, the good plugin works', async () => {
		const { stdout, state } = await runExample('isolated');
		assert.match(stdout, /^tag title=A Day In The Life$/m);
		assert.match(stdout, /^plugin Title Case: stopped$/m);
		assert.match(
			stdout,
			/^\[failure\] Overreacher: enable failed: Access to this API has been restricted$/m,
		);
		assert.match(stdout, /^plugin Overreacher: disabled \(crash_loop: /m);
		assert.doesNotMatch(stdout, /bytes of \/etc\/passwd/);
		assert.match(stdout, /^plugin Crasher: disabled \(crash_loop: 3 failures within 5 minutes/m);
		assert.match(stdout, /raw_sockets: declared only \(not enforceable on Node 20/);
		const vouch = createVouch({
			profile: join(state, 'tag-host.toml'),
			cwd: state,
			env: { HOME: join(state, 'home'), XDG_DATA_HOME: join(state, 'xdg') },
		});
		const crasher = (await vouch.list()).find((row) => row.plugin.name === 'Crasher');
		assert.equal(crasher?.enabled, false);
		assert.equal(crasher?.plugin.disabledReason?.kind, 'crash_loop');
	});

	it('in-process: labelled NOT ENFORCED, and the overreacher gets away with it', async () => {
		const { stdout } = await runExample('in-process');
		assert.match(stdout, /NOT ENFORCED/);
		assert.match(stdout, /^tag comment=read \d+ bytes of \/etc\/passwd/m);
		assert.match(stdout, /^plugin Crasher: disabled \(crash_loop: /m);
		assert.match(stdout, /^tag title=A Day In The Life$/m);
	});
});
