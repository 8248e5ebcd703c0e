/** Options every command shares: the host profile, the registry source and `--json`. */
import { Option } from '@commander-js/extra-typings';

export interface CommonOptions {
	profile?: string;
	registry?: string;
	json?: boolean;
}

export const profileOption = () =>
	new Option('--profile <name|file>', 'host profile: a built-in name or a profile TOML file').env(
		'VOUCH_PROFILE',
	);
export const registryOption = () =>
	new Option('--registry <file|url>', 'read the registry from this file or URL');
export const jsonOption = () => new Option('--json', 'print one JSON document for scripts');
