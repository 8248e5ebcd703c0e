/**
 * An edit, planned before anything is written: the primitive changes, the change record they
 * make, notes for the maintainer, and the question to ask when the edit needs a yes. Commands
 * plan against the registry as it is, show the plan, ask, and only then commit it.
 */
import type { CanonicalUrlContext } from '../../core/canonical-url.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { registryError } from '../errors.ts';
import type { Registry } from '../model.ts';
import type { ParseRegistryOptions } from '../parse.ts';
import { type AppliedEdit, applyRegistryEdits, decodeRaw, type RegistryFileText } from './apply.ts';
import { type ChangeInput, type RegistryChange, registryChange } from './change.ts';
import { pluginsOf, type RawDocument, type RawTable, type RegistryEditOp } from './operations.ts';

export interface EditPlan {
	ops: RegistryEditOp[];
	change: ChangeInput;
	/** Sanitised lines worth showing before the question (what an entry would block). */
	notes: string[];
	/** Set when a person must agree first: the question, sanitised. */
	confirm?: string;
}

/** What every planner reads: the file's document, Vouch's reading of it, who and when. */
export interface EditContext {
	document: RawDocument;
	registry: Registry;
	urlContext: CanonicalUrlContext;
	/** The registry being edited is a local file (D11: it may then list local paths). */
	registryIsLocal: boolean;
	/** Registry timestamp of the edit (`formatIsoUtcTimestamp`). */
	at: string;
	/** `key:<TUF key id>` or the `--actor` given. */
	actor?: string;
}

export interface CommittedEdit extends AppliedEdit {
	change: RegistryChange;
}

export type EditParseOptions = Omit<ParseRegistryOptions, 'label' | 'format'>;

export function editContext(
	file: RegistryFileText,
	registry: Registry,
	options: Omit<EditContext, 'document' | 'registry'>,
): EditContext {
	return { document: decodeRaw(file), registry, ...options };
}

/** Applies a plan; the change record carries the hashes of the text before and after. */
export function commitPlan(
	file: RegistryFileText,
	plan: EditPlan,
	parseOptions: EditParseOptions = {},
): CommittedEdit {
	const applied = applyRegistryEdits(file, plan.ops, parseOptions);
	return {
		...applied,
		change: registryChange(plan.change, applied.sha256Before, applied.sha256After),
	};
}

/** The position and table of the plugin with this id. */
export function findPlugin(context: EditContext, id: string): { index: number; entry: RawTable } {
	const plugins = pluginsOf(context.document);
	const index = plugins.findIndex((plugin) => plugin.id === id);
	const entry = plugins[index];
	if (entry === undefined) {
		throw registryError(
			'PLUGIN_NOT_IN_REGISTRY',
			`The registry has no plugin with the id ${sanitizeText(id)}.`,
			{ hint: 'See the ids with `vouch registry plugin list`.' },
		);
	}
	return { index, entry };
}

/**
 * Trust and URL changes say why (the gap in Picard's tool: they recorded neither reason nor
 * actor). The reason goes into the file's history and into the change record.
 */
export function requireReason(reason: string | undefined, what: string): string {
	const text = reason?.trim() ?? '';
	if (text.length === 0) {
		throw registryError('INVALID_EDIT', `${what} needs a reason.`, {
			hint: 'Pass --reason "<why>" (and --actor <name>, or --key <signing key>, to record who).',
		});
	}
	return text;
}

/** A `[[plugins.changes]]` record of a trust or URL change. */
export function historyRecord(
	context: EditContext,
	field: string,
	from: unknown,
	to: string,
	reason: string,
	report: string | undefined,
): Record<string, string> {
	const record: Record<string, string> = { at: context.at, field };
	if (typeof from === 'string') record.from = from;
	record.to = to;
	record.reason = reason;
	if (context.actor !== undefined) record.actor = context.actor;
	if (report !== undefined) record.report = report;
	return record;
}
