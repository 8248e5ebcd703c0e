/** Error codes of `registry hunt`. */
import { ExitCode, VouchError, type VouchErrorOptions } from '../../core/errors.ts';

export type HuntErrorCode =
	/** The indicator cannot be searched for: empty, multi-line, a pattern RE2 refuses, an unknown rule. */
	| 'HUNT_INDICATOR_INVALID'
	/** A repository grew past the size allowed for one plugin while it was fetched. */
	| 'HUNT_REPOSITORY_TOO_LARGE'
	/** A version's tree has more files, or more bytes, than a scan of it may read. */
	| 'HUNT_TREE_TOO_LARGE'
	/** One plugin's search ran past its time limit and was stopped. */
	| 'HUNT_PLUGIN_TIMEOUT';

const HINTS: Readonly<Record<HuntErrorCode, string>> = {
	HUNT_INDICATOR_INVALID:
		'Give a plain string, re:<pattern> (RE2 syntax, POSIX classes such as [[:digit:]] instead of \\d), or rule:<scanner rule id>.',
	HUNT_REPOSITORY_TOO_LARGE:
		'Look at the repository by hand, or raise the bound with --max-repository-mib if it is expected.',
	HUNT_TREE_TOO_LARGE: 'Look at this version by hand: it is far larger than a plugin should be.',
	HUNT_PLUGIN_TIMEOUT:
		'The repository may be very large or the server slow: hunt this plugin alone (--plugin) with a longer --timeout.',
};

export function huntError(
	code: HuntErrorCode,
	message: string,
	options: VouchErrorOptions = {},
): VouchError<HuntErrorCode> {
	return new VouchError(code, message, {
		...options,
		hint: options.hint ?? HINTS[code],
		exitCode:
			options.exitCode ?? (code === 'HUNT_INDICATOR_INVALID' ? ExitCode.usage : ExitCode.error),
	});
}
