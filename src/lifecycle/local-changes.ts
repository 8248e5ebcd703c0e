/**
 * Spec item 61: uncommitted changes in an installed plugin's working copy are never discarded
 * without the user's agreement. Only `install --reinstall --yes` may take `--yes` for it; an
 * update or a ref switch needs a yes at a terminal.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { PluginWorkDeps } from './deps.ts';
import { lifecycleError } from './errors.ts';
import type { InstalledPlugin } from './store/index.ts';

export async function confirmDiscardingLocalChanges(
	plugin: InstalledPlugin,
	how: { action: string; yesDiscards: boolean },
	deps: Pick<PluginWorkDeps, 'isDirty' | 'files' | 'prompter' | 'reporter'>,
): Promise<void> {
	if (plugin.source.kind !== 'git') return;
	if (!(await deps.isDirty(deps.files.pathOf(plugin)))) return;
	const name = sanitizeText(plugin.name);
	if (how.yesDiscards) {
		deps.reporter.warn(`Discarding local changes in ${name} (--reinstall --yes).`);
		return;
	}
	const agreed =
		deps.prompter.interactive &&
		(await deps.prompter.confirm({
			message: `${name} has local changes that ${how.action} will discard. Discard them?`,
			defaultAnswer: false,
		}));
	if (!agreed) {
		throw lifecycleError('LOCAL_CHANGES', `${name} has local changes; nothing was changed.`, {
			hint:
				how.action === 'reinstalling'
					? 'Commit or copy your changes first, or pass --yes to discard them.'
					: 'Commit or copy your changes first; only an interactive yes discards them.',
		});
	}
}
