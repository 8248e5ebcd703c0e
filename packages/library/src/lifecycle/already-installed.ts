/**
 * Installing what is already installed: a typed error that says which version and ref is
 * there, and how to get what the user probably wants instead (`--reinstall` to fetch the same
 * ref again, `update` for a newer version), rather than a bare refusal.
 */
import type { VouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { type LifecycleErrorCode, lifecycleError } from './errors.ts';
import type { InstalledPlugin } from './store/index.ts';
import { describeVersion } from './update.ts';

export function alreadyInstalled(
	installed: InstalledPlugin,
	/** What the user can type to name it (see `addressOf`), for the commands in the hint. */
	address: string,
): VouchError<LifecycleErrorCode> {
	const version = installed.version === undefined ? '' : ` ${sanitizeText(installed.version)}`;
	const where = describeVersion(installed);
	const name = sanitizeText(address, { maxLength: 120 });
	const local = installed.source.kind === 'local';
	return lifecycleError(
		'ALREADY_INSTALLED',
		`${sanitizeText(installed.name)}${version} is already installed (${where}) from ${sanitizeText(installed.source.url)}.`,
		{
			hint: local
				? `Run \`vouch update ${name}\` to read the directory again, or install with --reinstall to register it afresh.`
				: `Run \`vouch update ${name}\` for a newer version, or install with --reinstall to fetch ${
						installed.source.refType === 'commit' ? 'the same commit' : 'the same ref'
					} again (add --ref <ref> to choose another).`,
			details: {
				uuid: installed.uuid,
				name: installed.name,
				version: installed.version ?? null,
				ref: installed.source.ref ?? null,
				refType: installed.source.refType,
				commit: installed.source.commit ?? null,
				source: installed.source.url,
			},
		},
	);
}
