/** How an installed plugin is shown by `install`, `list` and `info`, in JSON and in text. */
import type { InstalledPlugin, PluginFiles } from '../../lifecycle/store/index.ts';

export function installedJson(
	plugin: InstalledPlugin,
	files: Pick<PluginFiles, 'pathOf'>,
	enabled: boolean,
): Record<string, unknown> {
	return {
		uuid: plugin.uuid,
		name: plugin.name,
		version: plugin.version ?? null,
		path: files.pathOf(plugin),
		enabled,
		state: plugin.state,
		trustAtInstall: plugin.trustAtInstall,
		source: plugin.source,
		originalUrl: plugin.originalUrl ?? null,
		originalUuid: plugin.originalUuid ?? null,
		registryId: plugin.registryId ?? null,
		capabilities: plugin.capabilities,
		disabledReason: plugin.disabledReason ?? null,
		installedAt: plugin.installedAt,
		updatedAt: plugin.updatedAt,
	};
}
