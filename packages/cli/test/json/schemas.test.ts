/**
 * The published schemas of the CLI's `--json` output are current, complete and exercised:
 * every command that takes `--json` has a schema, every schema file is what `npm run schemas`
 * writes, and every schema is checked against real output by a test in this folder.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Command } from '@commander-js/extra-typings';
import { renderSchema } from '@vouch/library/internal/manifest/json-schema';
import {
	CLI_JSON_DOCUMENTS,
	CLI_SCHEMA_FILES,
	type JsonCommand,
	schemaFileOf,
} from '../../src/json/index.ts';
import { createOutput } from '../../src/output.ts';
import { createProgram } from '../../src/program.ts';
import { ROOT } from './schema-check.ts';

function jsonCommands(command: Command, prefix: string[] = []): string[] {
	const found: string[] = [];
	for (const sub of command.commands as Command[]) {
		const path = [...prefix, sub.name()];
		if (sub.options.some((option) => option.long === '--json')) found.push(path.join(' '));
		found.push(...jsonCommands(sub, path));
	}
	return found;
}

test('every command that takes --json has a published schema', async () => {
	const sink = { write: () => true };
	const program = (await createProgram(
		{
			stdout: sink,
			stderr: sink,
			env: {},
			cwd: ROOT,
			stdoutIsTTY: false,
			stderrIsTTY: false,
			fetch: globalThis.fetch,
			now: () => new Date(0),
		},
		{ exitCode: 0 },
		[],
		{ everyCommand: true },
	)) as unknown as Command;
	const commands = jsonCommands(program);
	assert.ok(commands.length >= 20, `expected the whole command tree, found ${commands}`);
	const missing = commands.filter((name) => !(name in CLI_JSON_DOCUMENTS));
	assert.deepEqual(missing, [], 'add their documents to packages/cli/src/json/index.ts');
	const unused = Object.keys(CLI_JSON_DOCUMENTS).filter((name) => !commands.includes(name));
	assert.deepEqual(unused, [], 'documents of commands that no longer take --json');
});

test('schemas/cli holds exactly the files npm run schemas writes, each current', () => {
	for (const entry of CLI_SCHEMA_FILES) {
		const committed = readFileSync(join(ROOT, entry.file), 'utf8');
		assert.equal(committed, renderSchema(entry), `${entry.file} is stale: run \`npm run schemas\``);
	}
	const expected = CLI_SCHEMA_FILES.map((entry) => entry.file.replace('schemas/cli/', '')).sort();
	assert.deepEqual(readdirSync(join(ROOT, 'schemas/cli')).sort(), expected);
});

test('every schema, the error document included, is checked against real output', () => {
	const here = new URL('.', import.meta.url).pathname;
	const sources = readdirSync(here)
		.filter((file) => file.endsWith('.test.ts') && file !== 'schemas.test.ts')
		.map((file) => readFileSync(join(here, file), 'utf8'))
		.join('\n');
	const checked = (name: string) =>
		new RegExp(`assertJsonOutput\\(\\s*\\w+,\\s*'${name}'\\)`).test(sources);
	const unchecked = [...(Object.keys(CLI_JSON_DOCUMENTS) as JsonCommand[]), 'error' as const]
		.filter((name) => !checked(name) && !(name === 'error' && sources.includes('assertJsonError(')))
		.map((name) => schemaFileOf(name));
	assert.deepEqual(unchecked, []);
});

test('a command cannot print a document without a schema (a compile error)', () => {
	const sink = { write: () => true };
	const output = createOutput(
		{
			stdout: sink,
			stderr: sink,
			env: {},
			cwd: ROOT,
			stdoutIsTTY: false,
			stderrIsTTY: false,
			fetch: globalThis.fetch,
			now: () => new Date(0),
		},
		false,
	);
	// @ts-expect-error: `Output.result` takes only the published documents.
	output.result({ ok: true, undescribed: 1 });
	output.result({ ok: true, findings: [] });
});
