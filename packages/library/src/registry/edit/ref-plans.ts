/**
 * `ref add | edit | remove <id> <name>`: the plugin's `refs` list. A plugin without `refs`
 * uses `[{ name = "main" }]`, so the first added ref joins that default rather than silently
 * replacing `main` as the ref installs choose; removing the last ref removes the key.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import { registryError } from '../errors.ts';
import { isSafeRefName } from '../lint.ts';
import { type EditContext, type EditPlan, findPlugin } from './plan.ts';
import { apiVersion, invalid } from './plugin-entry.ts';
import { bumpUpdatedAt, emptyPlan } from './plugin-plans.ts';
import type { TomlValue } from './toml-write.ts';
import { duplicate } from './url-rules.ts';

export type RawRef = { name: string; [key: string]: TomlValue };

export interface RefFields {
	description?: string;
	minApiVersion?: string;
	maxApiVersion?: string;
}

export function refsOf(entry: Record<string, unknown>): RawRef[] {
	const refs = Array.isArray(entry.refs)
		? (entry.refs as unknown[]).filter(
				(ref): ref is RawRef =>
					ref !== null && typeof ref === 'object' && typeof (ref as RawRef).name === 'string',
			)
		: [];
	return refs.length === 0 ? [{ name: 'main' }] : refs.map((ref) => ({ ...ref }));
}

export function listRefs(context: EditContext, id: string): RawRef[] {
	return refsOf(findPlugin(context, id).entry);
}

function applyFields(ref: RawRef, fields: RefFields): void {
	if (fields.description !== undefined) {
		if (fields.description === '') delete ref.description;
		else ref.description = fields.description;
	}
	if (fields.minApiVersion !== undefined) {
		if (fields.minApiVersion === '') delete ref.min_api_version;
		else ref.min_api_version = apiVersion(fields.minApiVersion);
	}
	if (fields.maxApiVersion !== undefined) {
		if (fields.maxApiVersion === '') delete ref.max_api_version;
		else ref.max_api_version = apiVersion(fields.maxApiVersion);
	}
}

function checkName(name: string): string {
	if (!isSafeRefName(name)) throw invalid(`"${sanitizeText(name)}" is not a usable ref name`);
	return name;
}

export function planRefAdd(
	context: EditContext,
	id: string,
	name: string,
	fields: RefFields,
): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const refs = refsOf(entry);
	if (refs.some((ref) => ref.name === name)) throw duplicate(`${id} already has the ref ${name}`);
	const ref: RawRef = { name: checkName(name) };
	applyFields(ref, fields);
	return refsPlan(context, 'ref.add', id, index, name, [...refs, ref]);
}

export function planRefEdit(
	context: EditContext,
	id: string,
	name: string,
	fields: RefFields & { newName?: string },
): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const refs = refsOf(entry);
	const ref = refs.find((candidate) => candidate.name === name);
	if (ref === undefined) throw missing(id, name);
	if (fields.newName !== undefined && fields.newName !== name) {
		if (refs.some((candidate) => candidate.name === fields.newName)) {
			throw duplicate(`${id} already has the ref ${fields.newName}`);
		}
		ref.name = checkName(fields.newName);
	}
	applyFields(ref, fields);
	return refsPlan(context, 'ref.edit', id, index, name, refs);
}

export function planRefRemove(context: EditContext, id: string, name: string): EditPlan {
	const { index, entry } = findPlugin(context, id);
	const refs = refsOf(entry);
	if (!refs.some((ref) => ref.name === name)) throw missing(id, name);
	return refsPlan(
		context,
		'ref.remove',
		id,
		index,
		name,
		refs.filter((ref) => ref.name !== name),
	);
}

function refsPlan(
	context: EditContext,
	action: 'ref.add' | 'ref.edit' | 'ref.remove',
	id: string,
	index: number,
	name: string,
	refs: RawRef[],
): EditPlan {
	const { entry } = findPlugin(context, id);
	const plan = emptyPlan(context, action, `${id}@${name}`);
	const value = refs.length === 0 ? undefined : refs;
	plan.ops.push({ op: 'set-plugin-key', index, key: 'refs', value });
	plan.change.fields = [{ field: 'refs', from: entry.refs ?? null, to: value ?? null }];
	bumpUpdatedAt(plan, index, context);
	return plan;
}

function missing(id: string, name: string) {
	return registryError('ENTRY_NOT_FOUND', `${sanitizeText(id)} has no ref ${sanitizeText(name)}.`, {
		hint: `See its refs with \`vouch registry ref list ${sanitizeText(id)}\`.`,
	});
}
