/** The command tree. Each command lives in its own file under `commands/`. */
import { Command } from '@commander-js/extra-typings';
import { registerAbout } from './commands/about.ts';
import { registerBlacklist } from './commands/blacklist.ts';
import { registerBrowse } from './commands/browse.ts';
import { registerCheckBlacklist } from './commands/check-blacklist.ts';
import { registerCompletion } from './commands/completion.ts';
import { registerConfig } from './commands/config.ts';
import { registerInfo } from './commands/info.ts';
import { registerInit } from './commands/init.ts';
import { registerInstall } from './commands/install.ts';
import { registerList } from './commands/list.ts';
import { registerMaintenance } from './commands/maintenance.ts';
import { registerManage } from './commands/manage.ts';
import { registerRefresh } from './commands/refresh.ts';
import { registerRegistry } from './commands/registry.ts';
import { registerScan } from './commands/scan.ts';
import { registerSearch } from './commands/search.ts';
import { registerUpdate } from './commands/update.ts';
import { registerValidate } from './commands/validate.ts';
import { globalOptions } from './common-options.ts';
import { applyGlobalOptions } from './global-options.ts';
import type { CliIO } from './io.ts';
import type { RunState } from './run.ts';

export interface CommandContext {
	io: CliIO;
	state: RunState;
}

export const VOUCH_VERSION = '0.1.0';

export function createProgram(io: CliIO, state: RunState): Command {
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
	registerAbout(program, context);
	registerValidate(program, context);
	registerScan(program, context);
	registerRegistry(program, context);
	registerCheckBlacklist(program, context);
	registerBlacklist(program, context);
	registerBrowse(program, context);
	registerSearch(program, context);
	registerInfo(program, context);
	registerInstall(program, context);
	registerUpdate(program, context);
	registerManage(program, context);
	registerList(program, context);
	registerMaintenance(program, context);
	registerRefresh(program, context);
	registerInit(program, context);
	registerCompletion(program, context);
	registerConfig(program, context);
	// Subcommands inherit the usage-error handling, so a typo exits 2 everywhere.
	for (const command of program.commands) applyExitOverride(command, io);
	return program as unknown as Command;
}

function applyExitOverride(command: Command<unknown[], Record<string, unknown>>, io: CliIO): void {
	command.exitOverride().configureOutput({
		writeOut: (text) => io.stdout.write(text),
		writeErr: (text) => io.stderr.write(text),
	});
	command.showHelpAfterError('(run with --help for usage)');
	for (const sub of command.commands) applyExitOverride(sub as never, io);
}
