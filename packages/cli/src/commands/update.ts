/** `vouch update`, `vouch switch-ref` and `vouch check-updates`. */
import type { Command } from '@commander-js/extra-typings';
import { ExitCode, isVouchError, VouchError } from '@vouch/library/internal/core/errors';
import { checkUpdates } from '@vouch/library/internal/lifecycle/check-updates';
import {
	type UpdateOptions,
	type UpdateOutcome,
	updatePlugin,
} from '@vouch/library/internal/lifecycle/update';
import { forgetUpdates, writeUpdateCache } from '@vouch/library/internal/lifecycle/update-cache';
import { reportedVersion } from '@vouch/library/internal/lifecycle/version-facts';
import type { RegistryIndex } from '@vouch/library/internal/registry/index';
import { pluginNameLabel } from '@vouch/library/internal/registry/trust-display';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import type { CliIO } from '../io.ts';
import type {
	CheckUpdatesJson,
	SwitchRefJson,
	UpdateJson,
	UpdateOutcomeJson,
} from '../json/update.ts';
import {
	gitFor,
	type LifecycleContext,
	lifecycleContext,
	pluginWorkDeps,
} from '../lifecycle-context.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';

/** How many remotes `check-updates` and `update --all` ask at once. */
const CHECK_CONCURRENCY = 8;

interface UpdateFlags {
	pre?: boolean;
	yes?: boolean;
	grantCapabilities?: boolean;
	allowInsecureTransport?: boolean;
	allowStaleBlacklist?: boolean;
	acceptFindings?: boolean;
	acceptImpersonation?: boolean;
}

export function registerUpdate(program: Command, { io, state }: CommandContext): void {
	program
		.command('update')
		.description('update installed plugins within their ref (a commit pin never moves)')
		.argument('[plugin]', 'the plugin to update')
		.option('--all', 'update every installed plugin')
		.option('--pre', 'allow pre-release version tags')
		.option('-y, --yes', 'answer yes to prompts (never to new capabilities)')
		.option('--grant-capabilities', 'accept capabilities a new version adds')
		.option('--allow-insecure-transport', 'allow http:// and git:// sources')
		.option('--allow-stale-blacklist', 'DANGEROUS: update without a fresh blacklist')
		.option('--accept-findings', 'accept high-severity scan findings (--yes does not)')
		.option(
			'--accept-impersonation',
			'go on although it may impersonate a registered plugin (--yes does not)',
		)
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (target, options) => {
			if ((target === undefined) === (options.all !== true)) {
				throw new VouchError('USAGE', 'Name one plugin, or pass --all.', {
					exitCode: ExitCode.usage,
				});
			}
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			const outcomes: UpdateOutcomeJson[] = [];
			// The checks name each plugin; a failure reported by uuid alone is named from them.
			const names = new Map<string, string>();
			let failed = 0;
			let targets: string[] = target === undefined ? [] : [target];
			if (target === undefined) {
				// The checks run in parallel; only plugins with something to do are fetched.
				const checks = await checkUpdates(await context.store.read(), {
					snapshot: context.snapshot,
					git: gitFor(io, options.allowInsecureTransport === true),
					allowInsecureTransport: options.allowInsecureTransport === true,
					concurrency: CHECK_CONCURRENCY,
					pre: options.pre === true,
					onProgress: (done, total) => context.reporter.progress(`Checked ${done} of ${total}`),
				});
				context.reporter.done();
				for (const check of checks) {
					names.set(check.uuid, check.name);
					const local = check.status === 'skipped' && check.reason.startsWith('local');
					if (check.status === 'available' || local) targets.push(check.uuid);
					else if (check.status === 'failed' || check.status === 'blocked') {
						failed++;
						const { uuid, name, reason } = check;
						outcomes.push(
							check.status === 'failed'
								? { uuid, name, status: 'failed', code: check.code, reason }
								: { uuid, name, status: 'blocked', reason },
						);
						output.line(
							`${output.style.red('✗')} ${pluginNameLabel(check.name)}: ${safe(check.reason)}`,
						);
					} else {
						outcomes.push({
							uuid: check.uuid,
							name: check.name,
							status: check.status,
							reason: check.reason,
						});
						output.line(
							`  ${pluginNameLabel(check.name)}: ${check.status} (${safe(check.reason)})`,
						);
					}
				}
			}
			targets = [...new Set(targets)];
			for (const name of targets) {
				try {
					const outcome = await updatePlugin(
						name,
						flagsOf(options),
						updateDeps(context, io, options),
					);
					context.reporter.done();
					outcomes.push(outcomeJson(outcome, context.snapshot.index));
					printOutcome(output, outcome);
				} catch (error) {
					// The spinner's line is erased before the error is printed on it.
					context.reporter.done();
					if (target !== undefined || !isVouchError(error)) throw error;
					failed++;
					outcomes.push({
						uuid: name,
						name: names.get(name) ?? name,
						status: 'failed',
						code: error.code,
						reason: error.message,
						...(error.details === undefined ? {} : { details: error.details }),
					});
					output.line(`${output.style.red('✗')} ${pluginNameLabel(name)}: ${safe(error.message)}`);
				} finally {
					context.reporter.done();
				}
			}
			const updated = outcomes.filter((item) => item.status === 'updated').map((item) => item.uuid);
			await forgetUpdates(context.profile.cacheDir, updated).catch(() => undefined);
			if (output.json) output.result({ ok: failed === 0, results: outcomes } satisfies UpdateJson);
			else if (target === undefined) {
				const count = (status: string) => outcomes.filter((item) => item.status === status).length;
				output.line(
					`${count('updated')} updated, ${outcomes.length - count('updated') - failed} unchanged, ${failed} failed`,
				);
			}
			if (failed > 0) state.exitCode = ExitCode.error;
		});

	program
		.command('switch-ref')
		.description('move an installed plugin to another branch, tag or commit')
		.argument('<plugin>', 'the installed plugin')
		.argument('<ref>', 'branch, tag or full commit id')
		.option('--pre', 'allow pre-release version tags')
		.option('-y, --yes', 'answer yes to prompts (never to new capabilities)')
		.option('--grant-capabilities', 'accept capabilities the new ref adds')
		.option('--allow-insecure-transport', 'allow http:// and git:// sources')
		.option('--allow-stale-blacklist', 'DANGEROUS: switch without a fresh blacklist')
		.option('--accept-findings', 'accept high-severity scan findings (--yes does not)')
		.option(
			'--accept-impersonation',
			'go on although it may impersonate a registered plugin (--yes does not)',
		)
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (target, ref, options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			try {
				const outcome = await updatePlugin(
					target,
					{ ...flagsOf(options), ref },
					updateDeps(context, io, options),
				);
				if (outcome.status === 'updated') {
					await forgetUpdates(context.profile.cacheDir, [outcome.plugin.uuid]).catch(
						() => undefined,
					);
				}
				context.reporter.done();
				if (output.json) {
					output.result({
						ok: true,
						...outcomeJson(outcome, context.snapshot.index),
					} satisfies SwitchRefJson);
				} else printOutcome(output, outcome);
			} finally {
				context.reporter.done();
			}
		});

	program
		.command('check-updates')
		.description('list available updates, without changing anything')
		.option('--pre', 'count pre-release version tags')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			const checks = await checkUpdates(await context.store.read(), {
				snapshot: context.snapshot,
				git: gitFor(io, false),
				concurrency: CHECK_CONCURRENCY,
				pre: options.pre === true,
				onProgress: (done, total) => context.reporter.progress(`Checked ${done} of ${total}`),
			});
			context.reporter.done();
			await writeUpdateCache(context.profile.cacheDir, checks, io.now()).catch(() => undefined);
			if (output.json) {
				output.result({ ok: true, plugins: checks } satisfies CheckUpdatesJson);
				return;
			}
			if (checks.length === 0) output.line('No plugins installed.');
			for (const check of checks) {
				const detail =
					check.status === 'available'
						? `${check.from} -> ${check.to}`
						: 'reason' in check
							? check.reason
							: '';
				output.line(`${check.status.padEnd(11)} ${pluginNameLabel(check.name)}  ${safe(detail)}`);
			}
		});
}

function flagsOf(options: UpdateFlags): UpdateOptions {
	return {
		pre: options.pre === true,
		yes: options.yes === true,
		grantCapabilities: options.grantCapabilities === true,
		allowInsecureTransport: options.allowInsecureTransport === true,
		allowStaleBlacklist: options.allowStaleBlacklist === true,
		acceptFindings: options.acceptFindings === true,
		acceptImpersonation: options.acceptImpersonation === true,
	};
}

function updateDeps(context: LifecycleContext, io: CliIO, options: UpdateFlags) {
	return pluginWorkDeps(context, io, options.allowInsecureTransport === true);
}

function outcomeJson(
	outcome: UpdateOutcome,
	index: RegistryIndex | undefined,
): Exclude<UpdateOutcomeJson, { status: 'failed' }> {
	const { plugin } = outcome;
	const base = { uuid: plugin.uuid, name: plugin.name };
	if (outcome.status !== 'updated')
		return { ...base, status: outcome.status, reason: outcome.reason };
	return {
		...base,
		status: 'updated',
		from: outcome.from,
		to: outcome.to,
		ref: plugin.source.refType === 'commit' ? null : (plugin.source.ref ?? null),
		commit: plugin.source.commit ?? null,
		version: reportedVersion(plugin, index) ?? null,
	};
}

function printOutcome(output: Output, outcome: UpdateOutcome): void {
	const name = pluginNameLabel(outcome.plugin.name);
	if (outcome.status === 'updated') {
		output.line(`${output.style.green('✓')} Updated ${name}: ${outcome.from} -> ${outcome.to}`);
	} else {
		output.line(`  ${name}: ${outcome.status} (${safe(outcome.reason)})`);
	}
}
