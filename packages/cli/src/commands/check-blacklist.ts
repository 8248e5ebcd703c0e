/**
 * `vouch check-blacklist [url] [--uuid U]`: is this plugin blocked? Exits 3 with the
 * reason when it is. With no readable registry it fails (exit 1) rather than answering
 * "not blacklisted": an unknown blacklist is never a clean one (D1).
 */

import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import { compileBlacklist } from '@vouch/library/internal/blacklist/index';
import { type CanonicalUrlContext, canonicalUrl } from '@vouch/library/internal/core/canonical-url';
import { ExitCode, isVouchError, VouchError } from '@vouch/library/internal/core/errors';
import { parseUuidArgument } from '@vouch/library/internal/core/uuid';
import { knownAddress } from '@vouch/library/internal/lifecycle/source';
import { blacklistVerdictAt } from '@vouch/library/internal/lifecycle/verdicts';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import {
	loadRegistry,
	printRegistryWarnings,
	profileFor,
	registryJson,
	registryTrustLabel,
	urlContextFor,
} from '../context.ts';
import type { CheckBlacklistJson } from '../json/check-blacklist.ts';
import { gitFor, lifecycleIO } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import { blockDetailLines } from '../plugin-view.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';

export function registerCheckBlacklist(program: Command, { io, state }: CommandContext): void {
	program
		.command('check-blacklist')
		.description('check a plugin URL and/or UUID against the blacklist (exit 3 when blocked)')
		.argument('[url]', 'the plugin git URL or local path')
		.option('--uuid <uuid>', 'the plugin UUID (from its MANIFEST.toml)')
		.addOption(new Option('--plugin-version <version>', 'the plugin version, for ranged entries'))
		.addOption(
			new Option('--commit <hash>', 'the commit the plugin is at, for commit-scoped entries'),
		)
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (url, options) => {
			if (url === undefined && options.uuid === undefined) {
				throw new VouchError('USAGE', 'check-blacklist needs a URL, --uuid, or both.', {
					hint: 'Example: vouch check-blacklist https://github.com/owner/plugin --uuid <uuid>',
					exitCode: ExitCode.usage,
				});
			}
			// A UUID in another spelling would match no entry and answer "not blacklisted".
			const uuid =
				options.uuid === undefined ? undefined : parseUuidArgument(options.uuid, '--uuid');
			const profile = profileFor(options, io);
			// D2: a URL that cannot be made canonical cannot be compared, so there is no honest
			// "not blacklisted" to give for it.
			if (url !== undefined) assertComparableUrl(url, urlContextFor(profile, io));
			const output = createOutput(io, options.json === true);
			const loaded = await loadRegistry(options, profile, io, output);
			printRegistryWarnings(loaded, output);
			const unknownKeys = loaded.registry.warnings.filter(
				(warning) => warning.code === 'UNKNOWN_FIELD',
			);
			if (unknownKeys.length > 0) {
				// A misspelt blacklist table already fails the load; other unknown keys are read
				// past, and the user is told this answer did not look at them.
				output.note(
					`WARNING: the registry has ${unknownKeys.length} key(s) this version of Vouch does not know (named above). Entries under them were not checked; tell the registry maintainers.`,
				);
			}
			const blacklist = compileBlacklist(loaded.registry.blacklist, urlContextFor(profile, io));
			for (const problem of blacklist.problems) {
				output.note(
					`warning: blacklist entry #${problem.index} has a url_regex RE2 cannot compile; it matches nothing: ${safe(problem.error)}`,
				);
			}
			// D11: a local path is also checked by the address install knows it by (its real path,
			// the repository its `.git` leads to), so a symlink cannot make this answer "not
			// blacklisted" for what install refuses.
			const address =
				url === undefined
					? undefined
					: await knownAddress(url, {
							...urlContextFor(profile, io),
							realPath: lifecycleIO(io).realPath,
							repositoryDir: (path) => gitFor(io, false).repositoryDir(path),
						});
			const verdict = blacklistVerdictAt({ blacklist }, [url, address], {
				...(uuid === undefined ? {} : { uuid }),
				...(options.pluginVersion === undefined ? {} : { version: options.pluginVersion }),
				...(options.commit === undefined ? {} : { commit: options.commit }),
			});
			if (output.json) {
				output.result({
					// As in every document, `ok` is false exactly when the exit code is not 0.
					ok: !verdict.blocked,
					blocked: verdict.blocked,
					...(verdict.blocked
						? {
								reason: verdict.reason,
								severity: verdict.severity,
								entry: verdict.entry.index,
								matchedOn: verdict.matchedOn,
								...(verdict.incident === undefined ? {} : { incident: verdict.incident }),
								...(verdict.advice === undefined ? {} : { advice: verdict.advice }),
							}
						: {}),
					registry: registryJson(loaded),
					problems: [...blacklist.problems],
					warnings: loaded.registry.warnings.map((warning) => warning.message),
				} satisfies CheckBlacklistJson);
			} else if (verdict.blocked) {
				output.line(`${output.style.red('✗ Blacklisted:')} ${safe(verdict.reason)}`);
				output.line(
					`  entry #${verdict.entry.index} (${verdict.severity}), matched on ${verdict.matchedOn.join(' + ')}`,
				);
				for (const line of blockDetailLines(verdict, '  ')) output.line(line);
			} else {
				output.line(`${output.style.green('✓')} Not blacklisted`);
				output.line(
					output.style.dim(
						`  checked against ${safe(loaded.source)} (${registryTrustLabel(loaded)})`,
					),
				);
			}
			if (verdict.blocked) state.exitCode = ExitCode.blocked;
		});
}

function assertComparableUrl(url: string, context: CanonicalUrlContext): void {
	try {
		canonicalUrl(url, context);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		throw new VouchError('USAGE', `${safe(url)} cannot be checked: ${error.message}`, {
			hint: error.hint ?? 'Give the URL as git would fetch it, such as https://host/owner/repo.',
			exitCode: ExitCode.usage,
			cause: error,
		});
	}
}
