/**
 * The command tree. Each command lives in its own file under `commands/`, loaded only when it
 * is the one invoked: a host calls `vouch startup-check` at every application start, and
 * loading every command with the library behind it took longer than the check itself.
 * `--help` and `--version` load no command at all; the root help lists the table below.
 */
import { Command } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { globalOptions } from './common-options.ts';
import { applyGlobalOptions } from './global-options.ts';
import type { CliIO } from './io.ts';
import type { RunState } from './run.ts';

export interface CommandContext {
	io: CliIO;
	state: RunState;
}

export const VOUCH_VERSION = '0.1.0';

/** What a command file exports: it adds its command(s), in full, to the program. */
export type RegisterCommand = (program: Command, context: CommandContext) => void;

export interface CommandEntry {
	/** The top-level command name, as the command file registers it. */
	name: string;
	aliases?: readonly string[];
	/** The root help's line for it: the command's own description, word for word. */
	summary: string;
	/** Imports the command's file. Several entries may share one file and its loader. */
	load: () => Promise<RegisterCommand>;
}

/**
 * Every top-level command, in the order the root help lists them. Adding a command is one
 * entry here; a test checks each entry against what its file registers.
 */
export const COMMANDS: readonly CommandEntry[] = [
	{
		name: 'about',
		summary: 'explain what Vouch is and how to start',
		load: async () => (await import('./commands/about.ts')).registerAbout,
	},
	{
		name: 'validate',
		summary: 'check a plugin MANIFEST.toml and report every problem at once',
		load: async () => (await import('./commands/validate.ts')).registerValidate,
	},
	{
		name: 'init',
		summary: 'create a new plugin: MANIFEST.toml with a fresh UUID, entry module, README',
		load: async () => (await import('./commands/init.ts')).registerInit,
	},
	{
		name: 'scan',
		summary: "analyse a plugin's code for risky patterns and check its declared capabilities",
		load: async () => (await import('./commands/scan.ts')).registerScan,
	},
	{
		name: 'registry',
		summary: 'tools for registry maintainers',
		load: async () => (await import('./commands/registry.ts')).registerRegistry,
	},
	{
		name: 'check-blacklist',
		summary: 'check a plugin URL and/or UUID against the blacklist (exit 3 when blocked)',
		load: async () => (await import('./commands/check-blacklist.ts')).registerCheckBlacklist,
	},
	{
		name: 'blacklist',
		summary: 'show what the registry blacklist blocks and why (list, search)',
		load: async () => (await import('./commands/blacklist.ts')).registerBlacklist,
	},
	{
		name: 'browse',
		summary: 'list the plugins in the registry with their trust level',
		load: async () => (await import('./commands/browse.ts')).registerBrowse,
	},
	{
		name: 'search',
		summary: 'search the registry by id, name or description',
		load: async () => (await import('./commands/search.ts')).registerSearch,
	},
	{
		name: 'info',
		summary: 'show a plugin: trust, refs, redirects, blacklist, and the installed copy if any',
		load: async () => (await import('./commands/info.ts')).registerInfo,
	},
	{
		name: 'install',
		aliases: ['i'],
		summary: 'install a plugin from the registry, a git URL or a local directory',
		load: async () => (await import('./commands/install.ts')).registerInstall,
	},
	{
		name: 'update',
		summary: 'update installed plugins within their ref (a commit pin never moves)',
		load: async () => (await import('./commands/update.ts')).registerUpdate,
	},
	{
		name: 'switch-ref',
		summary: 'move an installed plugin to another branch, tag or commit',
		load: async () => (await import('./commands/update.ts')).registerUpdate,
	},
	{
		name: 'check-updates',
		summary: 'list available updates, without changing anything',
		load: async () => (await import('./commands/update.ts')).registerUpdate,
	},
	{
		name: 'uninstall',
		aliases: ['rm'],
		summary: 'remove an installed plugin (settings and data stay unless --purge)',
		load: async () => (await import('./commands/manage.ts')).registerManage,
	},
	{
		name: 'enable',
		summary: 'enable an installed plugin (never a blacklisted one)',
		load: async () => (await import('./commands/manage.ts')).registerManage,
	},
	{
		name: 'disable',
		summary: 'disable an installed plugin; its files stay',
		load: async () => (await import('./commands/manage.ts')).registerManage,
	},
	{
		name: 'list',
		aliases: ['ls'],
		summary: 'list installed plugins with trust, blacklist state and known updates',
		load: async () => (await import('./commands/list.ts')).registerList,
	},
	{
		name: 'clean',
		summary: 'finish or roll back interrupted work and remove its leftovers',
		load: async () => (await import('./commands/maintenance.ts')).registerMaintenance,
	},
	{
		name: 'doctor',
		summary: 'report a stale blacklist, broken patterns, changed files and orphans (exit 1 if any)',
		load: async () => (await import('./commands/maintenance.ts')).registerMaintenance,
	},
	{
		name: 'startup-check',
		summary: 'what a host runs at start: disable blacklisted plugins, check files and freshness',
		load: async () => (await import('./commands/maintenance.ts')).registerMaintenance,
	},
	{
		name: 'refresh',
		summary: 'fetch the registry and blacklist now (conditional requests; no cache fallback)',
		load: async () => (await import('./commands/refresh.ts')).registerRefresh,
	},
	{
		name: 'report',
		summary: 'report a plugin to the registry service (shows everything before sending)',
		load: async () => (await import('./commands/report.ts')).registerReport,
	},
	{
		name: 'config',
		summary: 'show or store settings (profile, registry, service) so flags need not be repeated',
		load: async () => (await import('./commands/config.ts')).registerConfig,
	},
	{
		name: 'completion',
		summary: 'print a shell completion script (bash, zsh or fish)',
		load: async () => (await import('./commands/completion.ts')).registerCompletion,
	},
];

/**
 * The program for one run. Only the command `argv` invokes is loaded and registered in full
 * (with its options, arguments and subcommands, so `vouch <cmd> --help` is complete); every
 * other command is a name and summary, enough for the root help and for commander to tell a
 * known command from a typo.
 */
export async function createProgram(
	io: CliIO,
	state: RunState,
	argv: readonly string[] = [],
	/** Register every command in full: for what needs the whole tree, such as completion scripts. */
	options: { everyCommand?: boolean } = {},
): Promise<Command> {
	const program = new Command('vouch')
		.description('Plugin security for applications: trust levels, registry, blacklist, checks.')
		.version(VOUCH_VERSION, '-V, --version')
		.showHelpAfterError('(run with --help for usage)')
		.exitOverride()
		.configureOutput({
			writeOut: (text) => io.stdout.write(text),
			writeErr: (text) => io.stderr.write(text),
		});
	for (const option of globalOptions()) program.addOption(option);
	// Options given before the command name reach the command that runs (and set io.verbosity).
	program.hook('preAction', (_root, command) => applyGlobalOptions(command as never, io));
	const context: CommandContext = { io, state };
	// The invoked command's file goes first and may add several commands (update.ts adds
	// update, switch-ref and check-updates); the root help, which then lists them first, is
	// never shown when a command is named.
	const invoked = findEntry(invokedName(argv));
	if (invoked !== undefined) (await invoked.load())(program, context);
	if (options.everyCommand === true) {
		for (const entry of COMMANDS) {
			if (!program.commands.some((command) => command.name() === entry.name)) {
				(await entry.load())(program, context);
			}
		}
	}
	for (const entry of COMMANDS) {
		if (program.commands.some((command) => command.name() === entry.name)) continue;
		program
			.command(entry.name)
			.aliases([...(entry.aliases ?? [])])
			.description(entry.summary)
			.allowUnknownOption()
			.allowExcessArguments()
			.action(() => notLoaded(entry.name));
	}
	// Subcommands inherit the usage-error handling, so a typo exits 2 everywhere.
	for (const command of program.commands) applyExitOverride(command, io);
	return program as unknown as Command;
}

/**
 * The command a run names: the first word after the global options (`vouch --profile x
 * refresh`), or the word after `help` (`vouch help scan`). Any other option before it
 * (`--help`, `--version`) makes commander print the root help or version: no command is named.
 * Read the way commander reads it: grouped short flags (`-qv`) are several flags, and after
 * `--` the next word is the command whatever it looks like. Where the two readings still
 * disagree, the command commander picks is a placeholder that refuses to run (createProgram).
 */
export function invokedName(argv: readonly string[]): string | undefined {
	const withValue = new Set<string>();
	const flags = new Set<string>();
	for (const option of globalOptions()) {
		for (const spelling of [option.long, option.short]) {
			if (spelling !== undefined) (option.required ? withValue : flags).add(spelling);
		}
	}
	const groupedFlags = (word: string): boolean =>
		/^-[^-]{2,}$/.test(word) && [...word.slice(1)].every((letter) => flags.has(`-${letter}`));
	let start = 0;
	while (start < argv.length) {
		const word = argv[start] as string;
		const name = word.split('=')[0] as string;
		if (word === '--') return argv[start + 1];
		if (withValue.has(name)) start += word.includes('=') ? 1 : 2;
		else if (flags.has(word) || groupedFlags(word)) start += 1;
		else break;
	}
	const [first, second] = argv.slice(start);
	if (first === 'help') return second?.startsWith('-') ? undefined : second;
	return first?.startsWith('-') ? undefined : first;
}

/**
 * What a command that was not loaded does if commander runs it anyway: refuse. Without this
 * it would run nothing and exit 0, and a script would read `check-blacklist` as a pass.
 */
function notLoaded(name: string): never {
	throw new VouchError(
		'USAGE',
		`Could not tell from the options before "${name}" which command to run.`,
		{
			hint: `Put the options after the command name: vouch ${name} [options].`,
			exitCode: ExitCode.usage,
		},
	);
}

function findEntry(name: string | undefined): CommandEntry | undefined {
	if (name === undefined) return undefined;
	return COMMANDS.find((entry) => entry.name === name || entry.aliases?.includes(name));
}

function applyExitOverride(command: Command<unknown[], Record<string, unknown>>, io: CliIO): void {
	command.exitOverride().configureOutput({
		writeOut: (text) => io.stdout.write(text),
		writeErr: (text) => io.stderr.write(text),
	});
	command.showHelpAfterError('(run with --help for usage)');
	for (const sub of command.commands) applyExitOverride(sub as never, io);
}
