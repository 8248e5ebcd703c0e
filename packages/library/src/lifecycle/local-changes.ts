/**
 * Spec item 61: uncommitted changes in an installed plugin's working copy are never discarded
 * without the user's agreement. Only `install --reinstall --yes` may take `--yes` for it; an
 * update or a ref switch needs a yes at a terminal. The user is told which files changed, so
 * that they can judge (and save) their work before answering.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { PluginWorkDeps } from './deps.ts';
import { lifecycleError } from './errors.ts';
import type { InstalledPlugin } from './store/index.ts';

/** How many changed paths a message names; the rest are counted. */
export const MAX_NAMED_CHANGES = 5;

/** The first few changed paths, sanitised (paths come from the plugin's own tree), and the rest counted. */
export function describeChanges(paths: readonly string[]): { named: string[]; more: number } {
	const named = paths
		.slice(0, MAX_NAMED_CHANGES)
		.map((path) => sanitizeText(path, { maxLength: 200 }));
	return { named, more: Math.max(0, paths.length - MAX_NAMED_CHANGES) };
}

function listed(changes: { named: string[]; more: number }): string {
	const more = changes.more === 0 ? '' : `, and ${changes.more} more`;
	return `${changes.named.join(', ')}${more}`;
}

export async function confirmDiscardingLocalChanges(
	plugin: InstalledPlugin,
	how: { action: string; yesDiscards: boolean },
	deps: Pick<PluginWorkDeps, 'changedFiles' | 'files' | 'prompter' | 'reporter'>,
): Promise<void> {
	if (plugin.source.kind !== 'git') return;
	const paths = await deps.changedFiles(deps.files.pathOf(plugin));
	if (paths.length === 0) return;
	const name = sanitizeText(plugin.name);
	const changes = describeChanges(paths);
	if (how.yesDiscards) {
		deps.reporter.warn(
			`Discarding local changes in ${name} (--reinstall --yes): ${listed(changes)}.`,
		);
		return;
	}
	const agreed =
		deps.prompter.interactive &&
		(await deps.prompter.confirm({
			message: `${name} has local changes (${listed(changes)}) that ${how.action} will discard. Discard them?`,
			defaultAnswer: false,
		}));
	if (!agreed) {
		throw lifecycleError(
			'LOCAL_CHANGES',
			`${name} has local changes in ${listed(changes)}; nothing was changed.`,
			{
				hint:
					how.action === 'reinstalling'
						? 'Commit or copy your changes first, or pass --yes to discard them.'
						: 'Commit or copy your changes first; only an interactive yes discards them.',
				details: { files: changes.named, more: changes.more },
			},
		);
	}
}
