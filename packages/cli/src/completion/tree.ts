/**
 * The command tree as shell completion sees it, read from a fully registered commander program:
 * names, aliases, options and subcommands. The scripts are generated from this, never written
 * by hand, so a new command or option is completed the day it is added.
 */
import type { Command } from 'commander';

export interface CompletionOption {
	/** `-y`, when the option has a short form. */
	short?: string;
	/** `--yes`. */
	long: string;
	/** Whether the next word is the option's value (`--ref <ref>`), not another argument. */
	takesValue: boolean;
	description: string;
}

export interface CompletionCommand {
	name: string;
	aliases: string[];
	description: string;
	options: CompletionOption[];
	subcommands: CompletionCommand[];
	/** The fixed values its arguments accept (`bash`, `zsh`, `fish`), offered like subcommands. */
	values: string[];
	/**
	 * Whether its first argument names a plugin (`<plugin>`): the scripts then offer the
	 * installed plugins, from `vouch completion --installed-plugins`.
	 */
	takesPlugin: boolean;
	/** Space-joined names from the root (`registry keys`); `` for the root. */
	path: string;
}

/** Commander adds `-h, --help` to every command without listing it among the options. */
const HELP: CompletionOption = {
	short: '-h',
	long: '--help',
	takesValue: false,
	description: 'show help',
};

interface CommandInternals {
	_hidden?: boolean;
	/** The subcommand run when none is named (`vouch blacklist` runs `blacklist list`). */
	_defaultCommandName?: string | null;
}

export function completionTree(program: Command): CompletionCommand {
	return nodeOf(program, '');
}

function nodeOf(command: Command, path: string): CompletionCommand {
	const options: CompletionOption[] = command.options
		.filter((option) => !option.hidden && option.long !== undefined)
		.map((option) => ({
			...(option.short === undefined ? {} : { short: option.short }),
			long: option.long as string,
			takesValue: option.required || option.optional,
			description: firstLine(option.description),
		}));
	const subcommands = command.commands
		.filter((sub) => (sub as unknown as CommandInternals)._hidden !== true)
		.map((sub) => nodeOf(sub, path === '' ? sub.name() : `${path} ${sub.name()}`));
	// Options typed straight after a command go to its default subcommand, so offer them there.
	const defaultName = (command as unknown as CommandInternals)._defaultCommandName;
	const fallback = subcommands.find((sub) => sub.name === defaultName);
	for (const option of fallback?.options ?? []) {
		if (!options.some((own) => own.long === option.long) && option !== HELP) options.push(option);
	}
	options.push(HELP);
	return {
		name: command.name(),
		aliases: command.aliases(),
		description: firstLine(command.description()),
		options,
		subcommands,
		values: command.registeredArguments.flatMap((argument) => argument.argChoices ?? []),
		takesPlugin: command.registeredArguments[0]?.name() === 'plugin',
		path,
	};
}

/** Every command of the tree, root first, parents before children. */
export function allCommands(root: CompletionCommand): CompletionCommand[] {
	return [root, ...root.subcommands.flatMap(allCommands)];
}

function firstLine(text: string): string {
	return (text.split('\n')[0] ?? '').trim();
}

/** A shell single-quoted word: the one quoting every shell here reads the same way. */
export function singleQuoted(text: string): string {
	return `'${text.replaceAll("'", `'\\''`)}'`;
}
