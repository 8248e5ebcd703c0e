/**
 * `vouch about` (the welcome text) suggests "try it" lines, the first commands a new user
 * copies. Each line with no placeholder is run as written, from the repository root, and must
 * succeed, so a moved fixture or a renamed command cannot leave the welcome text broken.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runVouch } from './helpers/cli.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

test('every runnable command that about suggests works from the repository root', async () => {
	const about = await runVouch(['about']);
	assert.equal(about.code, 0);
	const commands = about.stdout
		.split('\n')
		.map((line) => /^\s+npx vouch (.*)$/.exec(line)?.[1]?.trim())
		.filter((command): command is string => command !== undefined)
		.filter((command) => !/[<>|[\]]|\(/.test(command));
	assert.ok(commands.length >= 5, `found only: ${commands.join('; ')}`);
	for (const command of commands) {
		const argv = command.split(/\s+/);
		// The tests reach no network: `info` shows the registry entry without listing refs.
		if (argv[0] === 'info') argv.push('--offline');
		const run = await runVouch(argv, { cwd: ROOT });
		assert.equal(run.code, 0, `vouch ${command}\n${run.stdout}${run.stderr}`);
	}
});
