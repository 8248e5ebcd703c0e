/**
 * Options every command shares: the host profile, the registry source, `--json`, and how much
 * to print. They are defined on the root program too, so they work before or after the command
 * name (`vouch --profile x refresh` = `vouch refresh --profile x`); `program.ts` hands the root's
 * values to the command that runs. Commands keep their own copies so `vouch <cmd> --help`
 * lists them.
 */
import { Option } from '@commander-js/extra-typings';

export interface CommonOptions {
	profile?: string;
	registry?: string;
	json?: boolean;
}

export const profileOption = () =>
	new Option(
		'--profile <name|file>',
		'host profile: a built-in name or a profile TOML file (else VOUCH_PROFILE, else `vouch config get profile`)',
	);
export const registryOption = () =>
	new Option(
		'--registry <file|url>',
		'read the registry from this file or URL (else VOUCH_REGISTRY_URL, else `vouch config get registry`)',
	);
export const jsonOption = () => new Option('--json', 'print one JSON document for scripts');
export const quietOption = () =>
	new Option('-q, --quiet', 'print only errors and the result').conflicts('verbose');
export const verboseOption = () =>
	new Option(
		'-v, --verbose',
		'print extra detail: registry sources, cache use, git targets',
	).conflicts('quiet');
export const noColorOption = () => new Option('--no-color', 'never colour the output');

/** The options the root program accepts anywhere on the command line. */
export const globalOptions = () => [
	profileOption(),
	registryOption(),
	jsonOption(),
	quietOption(),
	verboseOption(),
	noColorOption(),
];
