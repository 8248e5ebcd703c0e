/**
 * `vouch registry stats` (plugins per trust level and category, the blacklist by kind) and
 * `vouch registry output --format toml|json|human` (the registry file in another form), as in
 * Picard's registry tool.
 */
import { type Command, Option } from '@commander-js/extra-typings';
import { decodeRaw } from '@vouch/library/internal/registry/edit/apply';
import { registryStats } from '@vouch/library/internal/registry/edit/stats';
import { documentToToml } from '@vouch/library/internal/registry/edit/toml-edit';
import { jsonOption, profileOption } from '../common-options.ts';
import type { RegistryStatsJson } from '../json/registry-edit.ts';
import { createOutput, terminalSafeJson } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { openRegistryFile, registryFileOption } from './registry-edit-session.ts';

export function registerRegistryStats(registry: Command, { io }: CommandContext): void {
	registry
		.command('stats')
		.description('count plugins per trust level and category, and blacklist entries by kind')
		.addOption(registryFileOption())
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const stats = registryStats(session.registry);
			if (output.json) {
				output.result({ ok: true, file: session.path, ...stats } satisfies RegistryStatsJson);
				return;
			}
			output.line(`${stats.plugins} plugin(s)`);
			for (const [level, count] of Object.entries(stats.byTrust))
				output.line(`  ${level}: ${count}`);
			output.line('By category:');
			for (const [category, count] of Object.entries(stats.byCategory)) {
				output.line(`  ${safe(category)}: ${count}`);
			}
			if (stats.uncategorised > 0) output.line(`  (none): ${stats.uncategorised}`);
			output.line(`${stats.blacklist} blacklist entr${stats.blacklist === 1 ? 'y' : 'ies'}`);
			for (const [kind, count] of Object.entries(stats.blacklistByKind))
				output.line(`  ${kind}: ${count}`);
		});

	registry
		.command('output')
		.description('print the registry as TOML, JSON or a human summary')
		.addOption(
			new Option('--format <format>', 'toml, json or human')
				.choices(['toml', 'json', 'human'] as const)
				.default('human' as const),
		)
		.addOption(registryFileOption())
		.addOption(profileOption())
		.action(async (options) => {
			const session = await openRegistryFile(options, io);
			const { format } = options;
			if (format === 'toml') {
				io.stdout.write(
					session.file.format === 'toml'
						? session.file.text
						: documentToToml(decodeRaw(session.file)),
				);
				return;
			}
			if (format === 'json') {
				io.stdout.write(`${terminalSafeJson(decodeRaw(session.file))}\n`);
				return;
			}
			const output = createOutput(io, false);
			for (const plugin of session.registry.plugins) {
				output.line(
					`${output.style.bold(safe(plugin.id))} [${plugin.trustLevel}] ${safe(plugin.name)}`,
				);
				output.line(`  ${safe(plugin.gitUrl)}`);
				if (plugin.description !== '')
					output.line(`  ${safe(plugin.description, { maxLength: 200 })}`);
			}
			for (const entry of session.registry.blacklist) {
				const what = entry.urlRegex ?? entry.url ?? entry.uuid ?? '';
				output.line(`blacklisted: ${safe(what)} (${safe(entry.reason ?? 'no reason')})`);
			}
		});
}
