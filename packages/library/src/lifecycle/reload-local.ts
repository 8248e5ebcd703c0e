/**
 * `update` of a plugin registered in place (a local directory without git): nothing to fetch,
 * so the manifest and files are read again where they are, with the blacklist and the UUID
 * checked, and the recorded digest renewed.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { lifecycleError } from './errors.ts';
import type { InstalledPlugin } from './store/index.ts';
import type { UpdateDeps, UpdateOutcome } from './update.ts';
import { blacklistVerdict, refuseIfBlocked } from './verdicts.ts';

export async function reloadLocal(
	plugin: InstalledPlugin,
	deps: UpdateDeps,
): Promise<UpdateOutcome> {
	const dir = deps.files.pathOf(plugin);
	const result = await deps.readManifest(dir, { categories: deps.categories });
	if (result.manifest === undefined) {
		throw lifecycleError(
			'MANIFEST_INVALID',
			`${sanitizeText(plugin.name)} no longer has a valid MANIFEST.toml.`,
			{
				hint: `Run \`vouch validate ${sanitizeText(dir)}\`.`,
			},
		);
	}
	const manifest = result.manifest;
	if (manifest.uuid !== plugin.uuid) {
		throw lifecycleError(
			'UUID_CONFLICT',
			`${sanitizeText(plugin.name)} changed its UUID; reinstall it.`,
		);
	}
	refuseIfBlocked({
		verdict: blacklistVerdict(deps.snapshot, { url: plugin.source.url, uuid: manifest.uuid }),
		name: manifest.name,
		force: false,
		reporter: deps.reporter,
	});
	const digest = await deps.digest(dir);
	const updated = await deps.store.transaction(async (state) => {
		const record = state.plugins[plugin.uuid];
		if (record === undefined)
			throw lifecycleError('NOT_INSTALLED', 'The plugin was uninstalled meanwhile.');
		record.name = manifest.name;
		record.apiVersions = [...manifest.api];
		record.files = digest.files;
		record.treeDigest = digest.treeDigest;
		record.updatedAt = deps.now().toISOString();
		return record;
	});
	return { status: 'reloaded', plugin: updated, reason: 'local directory re-read' };
}
