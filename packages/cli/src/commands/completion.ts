/**
 * `vouch completion bash|zsh|fish`: prints a completion script generated from the command tree
 * itself, so it completes exactly the commands, aliases and options this version has. The
 * scripts call `vouch completion --installed-plugins` to offer installed plugins by name.
 */
import { Argument, type Command, Option } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { openStore } from '@vouch/library/internal/lifecycle/store/index';
import type { Command as PlainCommand } from 'commander';
import { profileOption } from '../common-options.ts';
import { bashScript } from '../completion/bash.ts';
import { fishScript } from '../completion/fish.ts';
import { completionTree } from '../completion/tree.ts';
import { zshScript } from '../completion/zsh.ts';
import { profileFor } from '../context.ts';
import type { CliIO } from '../io.ts';
import type { CommandContext } from '../program.ts';

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;
type Shell = keyof typeof SHELLS;

export function registerCompletion(program: Command, { io, state }: CommandContext): void {
	program
		.command('completion')
		.description('print a shell completion script (bash, zsh or fish)')
		.addArgument(new Argument('[shell]', 'the shell').choices(Object.keys(SHELLS) as Shell[]))
		// For the scripts, at each Tab: not something people type.
		.addOption(new Option('--installed-plugins', 'list installed plugins, one a line').hideHelp())
		.addOption(profileOption())
		.action(async (shell, options) => {
			if (options.installedPlugins === true) {
				io.stdout.write(await installedPluginWords(options, io));
				return;
			}
			if (shell === undefined) {
				throw new VouchError('USAGE', 'Name the shell: bash, zsh or fish.', {
					hint: 'Example: source <(vouch completion bash)',
					exitCode: ExitCode.usage,
				});
			}
			// A program with every command registered, whatever the running one loaded: the
			// script must know the whole tree. Imported here, as program.ts imports this file.
			const { createProgram } = await import('../program.ts');
			const full = (await createProgram(io, state, [], {
				everyCommand: true,
			})) as unknown as PlainCommand;
			io.stdout.write(SHELLS[shell](completionTree(full)));
		});
}

/**
 * Installed plugins by registry id, else UUID: words every plugin command accepts and a shell
 * can complete (names may hold spaces). Only the local state is read: no registry, no network,
 * so a Tab never waits on a server.
 */
async function installedPluginWords(options: { profile?: string }, io: CliIO): Promise<string> {
	const profile = profileFor(options, io);
	const state = await openStore({ dataDir: profile.dataDir, now: io.now }).read();
	const words = Object.values(state.plugins)
		.map((plugin) => plugin.registryId ?? plugin.uuid)
		// Only plain words: a shell must not read anything else out of the local state.
		.filter((word) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(word))
		.sort();
	return words.map((word) => `${word}\n`).join('');
}
