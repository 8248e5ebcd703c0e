/**
 * `vouch completion bash|zsh|fish`: prints a completion script generated from the command tree
 * itself, so it completes exactly the commands, aliases and options this version has.
 */
import { Argument, type Command } from '@commander-js/extra-typings';
import type { Command as PlainCommand } from 'commander';
import { bashScript } from '../completion/bash.ts';
import { fishScript } from '../completion/fish.ts';
import { completionTree } from '../completion/tree.ts';
import { zshScript } from '../completion/zsh.ts';
import type { CommandContext } from '../program.ts';

const SHELLS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;
type Shell = keyof typeof SHELLS;

export function registerCompletion(program: Command, { io, state }: CommandContext): void {
	program
		.command('completion')
		.description('print a shell completion script (bash, zsh or fish)')
		.addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SHELLS) as Shell[]))
		.action(async (shell) => {
			// A program with every command registered, whatever the running one loaded: the
			// script must know the whole tree. Imported here, as program.ts imports this file.
			const { createProgram } = await import('../program.ts');
			const full = createProgram(io, state) as unknown as PlainCommand;
			io.stdout.write(SHELLS[shell](completionTree(full)));
		});
}
