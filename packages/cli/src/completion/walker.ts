/**
 * The lookup functions bash and zsh share: which command a word names under a path (aliases
 * included), the subcommands and options at a path, and the options that take a value (whose
 * next word is skipped while the command line is walked). Both shells read this POSIX `case`.
 */
import { allCommands, type CompletionCommand, singleQuoted } from './tree.ts';

export function lookupFunctions(root: CompletionCommand, prefix: string): string {
	const commands = allCommands(root);
	const child = commands.flatMap((command) =>
		command.subcommands.flatMap((sub) =>
			[sub.name, ...sub.aliases].map(
				(word) =>
					`\t\t${singleQuoted(`${command.path}:${word}`)}) printf '%s\\n' ${singleQuoted(sub.path)} ;;`,
			),
		),
	);
	const listing = (pick: (command: CompletionCommand) => string[]) =>
		commands
			.map((command) => {
				const words = pick(command);
				return words.length === 0
					? undefined
					: `\t\t${singleQuoted(command.path)}) printf '%s\\n' ${words.map(singleQuoted).join(' ')} ;;`;
			})
			.filter((line) => line !== undefined);
	const subcommands = listing((command) => [
		...command.subcommands.map((sub) => sub.name),
		...command.values,
	]);
	const options = listing((command) =>
		command.options.flatMap((option) =>
			option.short === undefined ? [option.long] : [option.long, option.short],
		),
	);
	const valueOptions = listing((command) =>
		command.options
			.filter((option) => option.takesValue)
			.flatMap((option) =>
				option.short === undefined ? [option.long] : [option.long, option.short],
			),
	);
	const pluginPaths = commands
		.filter((command) => command.takesPlugin)
		.map((command) => singleQuoted(command.path));
	const takesPlugin = pluginPaths.length === 0 ? '' : `\t\t${pluginPaths.join('|')}) return 0 ;;\n`;
	return `# The command named by word $2 under path $1, if any.
${prefix}_child() {
	case "$1:$2" in
${child.join('\n')}
	esac
}

# Subcommands at a path, one a line.
${prefix}_subcommands() {
	case "$1" in
${subcommands.join('\n')}
	esac
}

# Options at a path, one a line.
${prefix}_options() {
	case "$1" in
${options.join('\n')}
	esac
}

# Options at a path that take a value, one a line.
${prefix}_value_options() {
	case "$1" in
${valueOptions.join('\n')}
	esac
}

# Whether the command at path $1 takes an installed plugin as its first argument.
${prefix}_takes_plugin() {
	case "$1" in
${takesPlugin}	esac
	return 1
}

# Whether word $2 is an option of path $1 that takes a value.
${prefix}_takes_value() {
	local candidate
	while IFS= read -r candidate; do
		[ "$candidate" = "$2" ] && return 0
	done <<EOF
$(${prefix}_value_options "$1")
EOF
	return 1
}
`;
}
