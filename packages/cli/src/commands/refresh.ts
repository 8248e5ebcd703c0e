/**
 * `vouch refresh`: contact the registry now, whatever the cache holds. Requests are
 * conditional, so an unchanged registry costs a 304, which still counts as a successful
 * contact and restarts the blacklist's freshness clock (D1, D23). There is no offline
 * fallback here: a refresh that reached no source has failed (exit 1), and the cached copy is
 * left as it was.
 */
import { type Command, Option } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { normaliseSettingValue } from '@vouch/library/internal/core/settings';
import { tufClientForProfile } from '@vouch/library/internal/tuf/client/for-profile';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import {
	type LoadedRegistry,
	loadRegistry,
	printRegistryWarnings,
	profileFor,
	registryJson,
	registryTrustLabel,
} from '../context.ts';
import type { CliIO } from '../io.ts';
import type { RefreshJson } from '../json/refresh.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { homeOf, resolveSettings } from '../settings.ts';
import { safe } from '../style.ts';

export function registerRefresh(program: Command, { io }: CommandContext): void {
	program
		.command('refresh')
		.description('fetch the registry and blacklist now (conditional requests; no cache fallback)')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(
			new Option(
				'--reset-tuf-cache',
				'forget the verified TUF metadata first and start again from the trusted root (after TUF_CACHE_TAMPERED)',
			),
		)
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			if (options.resetTufCache === true) {
				const client = tufClientForProfile(profile, { fetch: io.fetch, now: io.now });
				if (client === undefined) {
					throw new VouchError(
						'USAGE',
						`The profile "${safe(profile.name)}" has no trusted_root, so there is no TUF cache to reset.`,
						{
							hint: 'Use --reset-tuf-cache only with a profile that reads a signed registry.',
							exitCode: ExitCode.usage,
						},
					);
				}
				await client.resetCache();
				output.note('The verified TUF metadata was forgotten; refreshing from the trusted root.');
			}
			const loaded = await loadRegistry(options, profile, io, output, 'refresh');
			printRegistryWarnings(loaded, output);
			if (output.json) {
				output.result({
					ok: true,
					registry: {
						...registryJson(loaded),
						unchanged: loaded.notModified,
						local: loaded.local,
						...(loaded.expiresAt === undefined
							? {}
							: { expiresAt: loaded.expiresAt.toISOString() }),
					},
					pluginCount: loaded.registry.plugins.length,
					blacklistCount: loaded.registry.blacklist.length,
					failures: loaded.failures,
					warnings: loaded.warnings,
				} satisfies RefreshJson);
				return;
			}
			printSummary(loaded, output);
			suggestStoring(options, io, output);
		});
}

/**
 * `refresh --registry X` reads X once and never rewrites the user's settings behind their back;
 * it says how to make X the default instead.
 */
function suggestStoring(
	options: { registry?: string; profile?: string },
	io: CliIO,
	output: Output,
): void {
	if (options.registry === undefined) return;
	try {
		const home = homeOf(io);
		const given = normaliseSettingValue('registry', options.registry, { cwd: io.cwd, home });
		const stored = resolveSettings(
			options.profile === undefined ? {} : { profile: options.profile },
			io,
		).settings.registry;
		if (stored.source === 'config' && stored.value === given) return;
		output.note(
			`To read this registry without --registry from now on: vouch config set registry ${safe(given)}`,
		);
	} catch {
		// A suggestion only: a bad stored setting is reported by the command that reads it.
	}
}

function printSummary(loaded: LoadedRegistry, output: Output): void {
	const { style } = output;
	const plugins = loaded.registry.plugins.length;
	const entries = loaded.registry.blacklist.length;
	const what = loaded.signed
		? 'verified (TUF)'
		: loaded.local
			? 'read (local file, not cached)'
			: loaded.notModified
				? 'unchanged (304 Not Modified)'
				: 'fetched';
	output.line(`${style.green('✓')} ${safe(loaded.source)}: ${what}`);
	output.line(
		`  ${plugins} plugin(s), ${entries} blacklist entr${entries === 1 ? 'y' : 'ies'}, ${registryTrustLabel(loaded)} registry`,
	);
	output.line(style.dim(`  last contact: ${loaded.fetchedAt.toISOString()}`));
	if (loaded.expiresAt !== undefined) {
		output.line(
			style.dim(
				`  signed metadata valid until: ${loaded.expiresAt.toISOString()} (blacklist freshness)`,
			),
		);
	}
}
