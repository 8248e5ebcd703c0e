/**
 * Global options, wherever they were typed. commander parses the root program's options
 * before and after the command name; this hands their values to the command about to run
 * (its own value wins when both were given) and turns --quiet, --verbose and --no-color into
 * the run's I/O settings, so every command and `createOutput` sees them without extra code.
 */
import type { Command } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import type { CliIO } from './io.ts';

type AnyCommand = Command<unknown[], Record<string, unknown>>;

/** What the user typed (or the environment set), not commander's defaults. */
function given(command: AnyCommand, key: string): boolean {
	const source = command.getOptionValueSource(key as never);
	return source !== undefined && source !== 'default' && source !== 'implied';
}

export function applyGlobalOptions(command: AnyCommand, io: CliIO): void {
	const ancestors: AnyCommand[] = [];
	for (let parent = command.parent; parent; parent = parent.parent) {
		ancestors.push(parent as AnyCommand);
	}
	for (const ancestor of ancestors) {
		for (const [key, value] of Object.entries(ancestor.opts())) {
			if (!given(ancestor, key) || given(command, key)) continue;
			command.setOptionValueWithSource(key as never, value as never, 'cli');
		}
	}
	const options = command.opts();
	if (options.quiet === true && options.verbose === true) {
		throw new VouchError('USAGE', '--quiet and --verbose cannot be used together.', {
			hint: 'Choose one.',
			exitCode: ExitCode.usage,
		});
	}
	io.verbosity = options.quiet === true ? 'quiet' : options.verbose === true ? 'verbose' : 'normal';
	// commander's --no-color sets `color: false`; NO_COLOR is what the styling code reads.
	if (options.color === false) io.env = { ...io.env, NO_COLOR: '1' };
}
