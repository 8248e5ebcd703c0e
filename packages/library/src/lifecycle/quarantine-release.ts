/**
 * Out of quarantine, after a block is lifted (an appeal granted, an entry reverted). Quarantine
 * keeps a blacklisted plugin's files rather than deleting them (D4) so that this is possible.
 * The files come back only when a fresh blacklist no longer names the plugin (a stale one could
 * be hiding the block: D1), only if they are byte for byte what was installed (nothing could
 * have been slipped in while they sat in quarantine), and only after the person agrees. The
 * plugin comes back disabled; enabling it is then the ordinary enable with its own checks.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { lifecycleError } from './errors.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';
import { assertBlacklistUsable, type RegistrySnapshot } from './snapshot.ts';
import { digestTree } from './store/digest.ts';
import type { InstalledPlugin, PluginFiles, PluginStore } from './store/index.ts';
import { blacklistVerdictAt, installedAddresses } from './verdicts.ts';
import { installedVersionFacts } from './version-facts.ts';

export interface QuarantineReleaseDeps {
	store: PluginStore;
	snapshot: RegistrySnapshot;
	prompter: Prompter;
	reporter: LifecycleReporter;
	now: () => Date;
	cwd: string;
	home: string;
	caseInsensitivePathHosts?: readonly string[];
	/** Absent: this caller cannot move files, and a quarantined plugin stays where it is. */
	files?: Pick<PluginFiles, 'release'>;
}

/** Moves a quarantined plugin back, disabled, or throws saying why it stays. */
export async function releaseFromQuarantine(
	plugin: InstalledPlugin,
	options: { yes: boolean },
	deps: QuarantineReleaseDeps,
): Promise<void> {
	const name = sanitizeText(plugin.name);
	const stays = (why: string, hint: string) =>
		lifecycleError('BLACKLISTED', `${name} is quarantined ${why}.`, { hint });
	if (deps.files === undefined || plugin.quarantinePath === undefined) {
		throw stays('because it was blacklisted', 'Quarantined plugins cannot be enabled here.');
	}
	// Never on a stale blacklist, whatever the caller allows elsewhere: it is what says the
	// block is gone.
	assertBlacklistUsable({
		snapshot: deps.snapshot,
		allowStaleBlacklist: false,
		action: 'enable',
		reporter: deps.reporter,
	});
	const verdict = blacklistVerdictAt(deps.snapshot, installedAddresses(plugin), {
		uuid: plugin.uuid,
		...installedVersionFacts(plugin, deps.snapshot.index),
	});
	if (verdict.blocked) {
		throw stays(
			`because it is blacklisted: ${verdict.reason}`,
			'Quarantined plugins cannot be enabled while the blacklist names them. Uninstall it.',
		);
	}
	const digest = await digestTree(plugin.quarantinePath).catch(() => undefined);
	if (digest?.treeDigest !== plugin.treeDigest) {
		throw lifecycleError(
			'UNSAFE_CONTENT',
			`${name}'s quarantined files are not the ones that were installed.`,
			{ hint: `Reinstall it instead: vouch install ${name} --reinstall` },
		);
	}
	deps.reporter.info(
		`${name} is no longer on the blacklist. Its files were kept in quarantine and are unchanged.`,
	);
	const agreed =
		options.yes ||
		(deps.prompter.interactive &&
			(await deps.prompter.confirm({
				message: `Move ${name} back from quarantine?`,
				defaultAnswer: false,
			})));
	if (!agreed) throw lifecycleError('DECLINED', `${name} stays in quarantine.`);
	await deps.store.transaction(async (state, tx) => {
		const record = state.plugins[plugin.uuid];
		if (record === undefined) {
			throw lifecycleError('NOT_INSTALLED', `${name} was uninstalled meanwhile.`);
		}
		if (record.state !== 'quarantined' || record.quarantinePath !== plugin.quarantinePath) {
			throw lifecycleError('DECLINED', `${name} changed meanwhile; run the command again.`);
		}
		await deps.files?.release(state, tx, record);
	});
}
