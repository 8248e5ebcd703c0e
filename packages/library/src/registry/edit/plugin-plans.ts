/**
 * `plugin add | update | edit | remove` as edit plans. The manifests are read by the caller
 * (a clone per ref, `lifecycle/registry-manifests.ts`); planning itself touches no network.
 */
import { isDeepStrictEqual } from 'node:util';
import { compileBlacklist } from '../../blacklist/compile.ts';
import { ExitCode } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { normaliseUuid } from '../../core/uuid.ts';
import { registryError } from '../errors.ts';
import type { RegistryPlugin, RegistryTrustLevel } from '../model.ts';
import { isValidRegistryId } from '../registry-id.ts';
import type { FieldChange } from './change.ts';
import { assertNameFree } from './name-rules.ts';
import { sortedPluginPosition, type TomlTable } from './operations.ts';
import {
	type EditContext,
	type EditPlan,
	findPlugin,
	historyRecord,
	requireReason,
} from './plan.ts';
import {
	checkVersioningScheme,
	invalid,
	type ManifestFacts,
	manifestFields,
	newPluginEntry,
	type RefSpec,
} from './plugin-entry.ts';
import type { TomlValue } from './toml-write.ts';
import { assertUrlUnused, checkRegistryUrl, duplicate } from './url-rules.ts';

export interface PluginAddInput {
	gitUrl: string;
	/** The registry id; absent, it is derived from the repository's name. */
	id?: string;
	/** One per ref, in the order of `refs`; the first fills the entry. */
	manifests: readonly ManifestFacts[];
	trust: RegistryTrustLevel;
	categories?: readonly string[];
	refs: readonly RefSpec[];
	versioningScheme?: string;
	reason?: string;
	report?: string;
}

export function planPluginAdd(context: EditContext, input: PluginAddInput): EditPlan {
	const [first] = input.manifests;
	if (first === undefined) throw invalid('no MANIFEST.toml was read');
	const uuid = normaliseUuid(first.uuid);
	if (input.manifests.some((manifest) => normaliseUuid(manifest.uuid) !== uuid)) {
		throw invalid('the refs carry manifests with different UUIDs; one plugin has one UUID');
	}
	const canonical = checkRegistryUrl(context, input.gitUrl);
	const scheme =
		input.versioningScheme === undefined
			? undefined
			: checkVersioningScheme(input.versioningScheme);
	if (input.id !== undefined && !isValidRegistryId(input.id)) {
		throw registryError(
			'INVALID_REGISTRY_ID',
			`"${sanitizeText(input.id, { maxLength: 120 })}" is not a registry id.`,
			{
				hint: 'An id is lowercase letters and digits in hyphen-separated runs, like cover-art.',
				exitCode: ExitCode.usage,
			},
		);
	}
	const entry = newPluginEntry({
		gitUrl: input.gitUrl,
		...(input.id === undefined ? {} : { id: input.id }),
		manifest: { ...first, uuid },
		trust: input.trust,
		...(input.categories === undefined ? {} : { categories: input.categories }),
		refs: input.refs,
		...(scheme === undefined ? {} : { versioningScheme: scheme }),
		at: context.at,
	});
	const id = entry.id as string;
	for (const plugin of context.registry.plugins) {
		if (plugin.id === id) throw idTaken(plugin, uuid, canonical);
		if (plugin.uuid === uuid) {
			throw duplicate(
				`the UUID ${uuid} is already ${plugin.id}'s`,
				`A UUID names one plugin: change ${sanitizeText(plugin.id)} with \`vouch registry plugin edit ${sanitizeText(plugin.id)}\` (--git-url for a new address).`,
			);
		}
		if (plugin.redirectFromUuid.includes(uuid)) {
			throw duplicate(`the UUID ${uuid} is an old UUID (redirect_from_uuid) of ${plugin.id}`);
		}
	}
	assertUrlUnused(context, canonical);
	assertNameFree(context, id, first.name);
	const verdict = compileBlacklist(context.registry.blacklist, context.urlContext).check({
		url: input.gitUrl,
		uuid,
	});
	if (verdict.blocked) {
		throw registryError(
			'INVALID_EDIT',
			`The registry's own blacklist blocks this plugin: ${verdict.reason}`,
			{ hint: 'Remove the blacklist entry first if the block is a mistake.' },
		);
	}
	const fields: FieldChange[] = [{ field: 'trust_level', from: null, to: input.trust }];
	let reason = input.reason;
	// A level above community is a trust decision, recorded like any other (D22).
	if (input.trust !== 'community') {
		reason = requireReason(input.reason, `Adding a plugin as ${input.trust}`);
		entry.changes = [
			historyRecord(context, 'trust_level', undefined, input.trust, reason, input.report),
		];
	}
	return {
		ops: [{ op: 'add-plugin', index: sortedPluginPosition(context.document, id), entry }],
		change: {
			action: 'plugin.add',
			subject: id,
			at: context.at,
			fields,
			reason,
			actor: context.actor,
			report: input.report,
		},
		notes: [],
	};
}

/**
 * The id is in use. When the entry holding it is this very plugin (its UUID or its address),
 * adding it again is a mistake that `edit` or `update` answers; otherwise two repositories share
 * a name, and this one needs an id of its own.
 */
function idTaken(plugin: RegistryPlugin, uuid: string, canonical: string) {
	const id = sanitizeText(plugin.id);
	if (plugin.uuid === uuid || plugin.canonicalGitUrl === canonical) {
		return duplicate(
			`${plugin.id} is already in the registry`,
			`Change it with \`vouch registry plugin edit ${id}\`, or read its manifest again with \`vouch registry plugin update ${id}\`.`,
		);
	}
	return duplicate(
		`the id ${plugin.id} is taken by another plugin (${plugin.gitUrl})`,
		`Add this one under an id of its own with --id <id>, or change ${id} with \`vouch registry plugin edit ${id}\`.`,
	);
}

const MANIFEST_KEYS = [
	'name',
	'description',
	'authors',
	'maintainers',
	'name_i18n',
	'description_i18n',
];

/** Refreshes the manifest fields; a UUID change is refused (spec §3.9, D7). */
export function planPluginUpdate(
	context: EditContext,
	id: string,
	manifest: ManifestFacts,
): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const current = typeof entry.uuid === 'string' ? normaliseUuid(entry.uuid) : '';
	if (normaliseUuid(manifest.uuid) !== current) {
		throw registryError(
			'UUID_CHANGE_REJECTED',
			`The manifest's UUID ${sanitizeText(manifest.uuid)} differs from ${sanitizeText(id)}'s ${sanitizeText(current)}: a plugin's UUID never changes.`,
			{
				hint: 'A new UUID is a new plugin (or a declared move with redirect_from_uuid, edited by hand).',
			},
		);
	}
	const wanted = manifestFields(manifest);
	// Checked when it changes: a registry that already lists two such names is lint's to report.
	if (wanted.name !== entry.name) assertNameFree(context, id, manifest.name);
	const plan = emptyPlan(context, 'plugin.update', id);
	for (const key of MANIFEST_KEYS) setIfChanged(plan, index, entry, key, wanted[key]);
	bumpUpdatedAt(plan, index, context);
	return plan;
}

export interface PluginEditInput {
	trust?: RegistryTrustLevel;
	categories?: readonly string[];
	gitUrl?: string;
	/** `''` removes the scheme. */
	versioningScheme?: string;
	reason?: string;
	report?: string;
}

export function planPluginEdit(context: EditContext, id: string, input: PluginEditInput): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const plan = emptyPlan(context, 'plugin.edit', id);
	plan.change.report = input.report;
	const trustChanges = input.trust !== undefined && input.trust !== entry.trust_level;
	const urlChanges = input.gitUrl !== undefined && input.gitUrl !== entry.git_url;
	if (trustChanges || urlChanges) {
		const reason = requireReason(
			input.reason,
			trustChanges ? 'A trust change' : 'A git_url change',
		);
		plan.change.reason = reason;
		if (trustChanges) {
			const record = historyRecord(
				context,
				'trust_level',
				entry.trust_level,
				input.trust as string,
				reason,
				input.report,
			);
			plan.ops.push({ op: 'append-plugin-table', index, key: 'changes', table: record });
			setIfChanged(plan, index, entry, 'trust_level', input.trust);
		}
		if (urlChanges) {
			const url = input.gitUrl as string;
			assertUrlUnused(context, checkRegistryUrl(context, url), { exceptId: id });
			const record = historyRecord(context, 'git_url', entry.git_url, url, reason, input.report);
			plan.ops.push({ op: 'append-plugin-table', index, key: 'changes', table: record });
			setIfChanged(plan, index, entry, 'git_url', url);
			plan.notes.push(
				'The old URL is not redirected: add it with `vouch registry plugin redirect` so existing installs follow.',
			);
		}
	} else if (input.reason !== undefined) {
		plan.change.reason = input.reason;
	}
	if (input.categories !== undefined)
		setIfChanged(plan, index, entry, 'categories', [...input.categories]);
	if (input.versioningScheme !== undefined) {
		const scheme =
			input.versioningScheme === '' ? undefined : checkVersioningScheme(input.versioningScheme);
		setIfChanged(plan, index, entry, 'versioning_scheme', scheme);
	}
	bumpUpdatedAt(plan, index, context);
	return plan;
}

export function planPluginRemove(context: EditContext, id: string, reason?: string): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const plan = emptyPlan(context, 'plugin.remove', id);
	plan.ops.push({ op: 'remove-plugin', index });
	plan.change.reason = reason;
	plan.change.fields = [{ field: 'git_url', from: entry.git_url ?? null, to: null }];
	plan.confirm = `Remove ${sanitizeText(id)} (${sanitizeText(entry.git_url)}) from the registry?`;
	return plan;
}

export function emptyPlan(
	context: EditContext,
	action: EditPlan['change']['action'],
	subject: string,
): EditPlan {
	return {
		ops: [],
		change: { action, subject, at: context.at, fields: [], actor: context.actor },
		notes: [],
	};
}

/** Adds a set (or removal, for `undefined`) of one key when its value really changes. */
export function setIfChanged(
	plan: EditPlan,
	index: number,
	entry: TomlTable | Record<string, unknown>,
	key: string,
	value: TomlValue | undefined,
): void {
	const current = entry[key];
	if (isDeepStrictEqual(current, value)) return;
	plan.ops.push({ op: 'set-plugin-key', index, key, value });
	plan.change.fields?.push({ field: key, from: current ?? null, to: value ?? null });
}

/** `updated_at` moves only when something else changed. */
export function bumpUpdatedAt(plan: EditPlan, index: number, context: EditContext): void {
	if (plan.ops.length === 0) return;
	plan.ops.push({ op: 'set-plugin-key', index, key: 'updated_at', value: context.at });
}
