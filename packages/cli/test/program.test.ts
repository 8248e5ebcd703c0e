/**
 * The command table: the root help and the choice of which command file to load come from it,
 * so it must say exactly what the command files register, and a command's own help must still
 * be complete when only that command was loaded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from '@commander-js/extra-typings';
import { COMMANDS, type CommandContext, createProgram, invokedName } from '../src/program.ts';
import { runVouch } from './helpers/cli.ts';

const context = {
	io: {
		stdout: { write: () => true },
		stderr: { write: () => true },
		env: {},
		cwd: process.cwd(),
		stdoutIsTTY: false,
		stderrIsTTY: false,
		fetch: async () => {
			throw new Error('no network here');
		},
		now: () => new Date(0),
	},
	state: { exitCode: 0 },
} as unknown as CommandContext;

describe('the command table', () => {
	it('matches what each command file registers: name, aliases and description', async () => {
		for (const entry of COMMANDS) {
			const program = new Command('vouch');
			(await entry.load())(program as never, context);
			const command = program.commands.find((candidate) => candidate.name() === entry.name);
			assert.ok(command, `${entry.name}: its file does not register it`);
			assert.equal(command.description(), entry.summary, `${entry.name}: summary`);
			assert.deepEqual(command.aliases(), [...(entry.aliases ?? [])], `${entry.name}: aliases`);
		}
	});

	it('lists every command the files register, once', async () => {
		const registered = new Set<string>();
		const loaders = new Set(await Promise.all(COMMANDS.map((entry) => entry.load())));
		for (const register of loaders) {
			const program = new Command('vouch');
			register(program as never, context);
			for (const command of program.commands) registered.add(command.name());
		}
		const listed = COMMANDS.map((entry) => entry.name);
		assert.equal(new Set(listed).size, listed.length, 'no name twice');
		assert.deepEqual([...registered].sort(), [...listed].sort());
	});

	it('finds the invoked command only where commander would dispatch it', () => {
		assert.equal(invokedName(['check-blacklist', 'https://x/y', '--json']), 'check-blacklist');
		assert.equal(invokedName(['help', 'scan']), 'scan');
		assert.equal(invokedName(['help']), undefined);
		assert.equal(invokedName(['--help', 'scan']), undefined);
		// Global options may come first; their values are not command names.
		assert.equal(invokedName(['--profile', 'refresh', 'list']), 'list');
		assert.equal(invokedName(['--registry=x.toml', '-q', '--json', 'ls']), 'ls');
		assert.equal(invokedName(['--no-color', '-v', 'help', 'scan']), 'scan');
		assert.equal(invokedName(['--profile', 'x', '--version']), undefined);
		assert.equal(invokedName(['-V']), undefined);
		assert.equal(invokedName([]), undefined);
	});

	it('reads grouped short flags and `--` as commander does, so the command it runs is loaded', async () => {
		assert.equal(invokedName(['-qq', 'check-blacklist', 'https://x/y']), 'check-blacklist');
		assert.equal(invokedName(['-vq', 'list']), 'list');
		assert.equal(invokedName(['--', 'check-blacklist']), 'check-blacklist');
		assert.equal(invokedName(['-q', '--', 'list', '--json']), 'list');
		// A group holding anything but global flags is commander's to refuse.
		assert.equal(invokedName(['-qx', 'list']), undefined);
		// Without the fix these ran an empty placeholder: nothing checked, exit 0.
		const bare = await runVouch(['--', 'check-blacklist']);
		assert.equal(bare.code, 2);
		assert.match(bare.stderr, /check-blacklist/);
	});

	it('refuses to run a command that was not loaded, instead of doing nothing and exiting 0', async () => {
		const program = await createProgram(context.io, context.state, []);
		await assert.rejects(
			program.parseAsync(['check-blacklist', 'https://x/y', '--json'], { from: 'user' }),
			(error: unknown) => (error as { code?: string }).code === 'USAGE',
		);
	});
});

describe('help with lazily loaded commands', () => {
	it('lists every command in the root help', async () => {
		const run = await runVouch(['--help']);
		assert.equal(run.code, 0);
		for (const entry of COMMANDS) assert.match(run.stdout, new RegExp(`\\n  ${entry.name}\\b`));
	});

	it("shows a command's full help, options included, both ways of asking", async () => {
		for (const argv of [
			['check-blacklist', '--help'],
			['help', 'check-blacklist'],
		]) {
			const run = await runVouch(argv);
			assert.equal(run.code, 0, argv.join(' '));
			assert.match(run.stdout, /Usage: vouch check-blacklist \[options\] \[url\]/);
			assert.match(run.stdout, /--uuid <uuid>/);
			assert.match(run.stdout, /--plugin-version <version>/);
		}
	});

	it('shows the subcommands of a command with subcommands', async () => {
		const run = await runVouch(['registry', '--help']);
		assert.equal(run.code, 0);
		assert.match(run.stdout, /\n {2}lint\b/);
	});

	it('runs a command whose file registers several (switch-ref lives in update.ts)', async () => {
		const run = await runVouch(['switch-ref', '--help']);
		assert.equal(run.code, 0);
		assert.match(run.stdout, /Usage: vouch switch-ref/);
	});

	it('still calls an unknown command a usage error (exit 2) with the hint', async () => {
		const run = await runVouch(['check-blacklst', 'https://x/y']);
		assert.equal(run.code, 2);
		assert.match(run.stderr, /unknown command 'check-blacklst'/);
		assert.match(run.stderr, /run with --help for usage/);
	});

	it('loads the command named after global options, by its alias too', async () => {
		const registry = new URL(
			'../../library/test/fixtures/registries/picard-plugins.toml',
			import.meta.url,
		).pathname;
		const run = await runVouch(['--registry', registry, '--json', 'browse']);
		assert.equal(run.code, 0, run.stderr);
		assert.ok((JSON.parse(run.stdout) as { plugins: unknown[] }).plugins.length > 10);
		const list = await runVouch(['--json', 'ls']);
		assert.equal(list.code, 0, list.stderr);
	});
});
