/**
 * The file operations the startup check needs, on the real file system. The startup check
 * itself, with its registry loading, is `runStartupCheck` in `src/embed`.
 */
import { stat } from 'node:fs/promises';
import type { StartupDeps } from './startup-check.ts';
import { digestTree, type PluginFiles } from './store/index.ts';

export function startupFiles(files: PluginFiles): StartupDeps['files'] {
	return {
		pathOf: (plugin) => files.pathOf(plugin),
		exists: async (path) => (await stat(path).catch(() => undefined)) !== undefined,
		digest: (dir) => digestTree(dir),
		quarantine: (state, tx, plugin) => files.quarantine(state, tx, plugin),
	};
}
