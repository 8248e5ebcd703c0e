/**
 * The record every registry edit produces: what was done to which entry, why, by whom, and the
 * SHA-256 of the registry text before and after. The transparency log (D28) appends these as
 * they are (`log.append(encodeRegistryChange(change))`); the CLI prints them with `--json`.
 */
import { sha256Hex } from './apply.ts';

export const REGISTRY_CHANGE_ACTIONS = [
	'plugin.add',
	'plugin.update',
	'plugin.edit',
	'plugin.remove',
	'plugin.redirect.add',
	'plugin.redirect.remove',
	'ref.add',
	'ref.edit',
	'ref.remove',
	'blacklist.add',
	'blacklist.remove',
	// `vouch registry pin --write`: a reviewed release pinned (D19b).
	'plugin.pin',
] as const;
export type RegistryChangeAction = (typeof REGISTRY_CHANGE_ACTIONS)[number];

/** One field's old and new value; `null` when absent. */
export interface FieldChange {
	field: string;
	from: unknown;
	to: unknown;
}

export interface RegistryChange {
	/** The record's own format, so a log reader can tell later versions apart. */
	schema: 'vouch-registry-change-v1';
	action: RegistryChangeAction;
	/** The plugin id, or the blacklist entry id. */
	subject: string;
	/** When the edit was made, in the registry's timestamp form. */
	at: string;
	fields: FieldChange[];
	reason: string | null;
	/** Who made it: `key:<TUF key id>` of the signer, or the `--actor` given. */
	actor: string | null;
	/** The report the change answers (a link). */
	report: string | null;
	registrySha256Before: string;
	registrySha256After: string;
}

export interface ChangeInput {
	action: RegistryChangeAction;
	subject: string;
	at: string;
	fields?: FieldChange[];
	reason?: string | undefined;
	actor?: string | undefined;
	report?: string | undefined;
}

export function registryChange(input: ChangeInput, before: string, after: string): RegistryChange {
	return {
		schema: 'vouch-registry-change-v1',
		action: input.action,
		subject: input.subject,
		at: input.at,
		fields: input.fields ?? [],
		reason: input.reason ?? null,
		actor: input.actor ?? null,
		report: input.report ?? null,
		registrySha256Before: before,
		registrySha256After: after,
	};
}

/** Canonical bytes of a change: keys sorted at every level, no spaces, UTF-8. */
export function encodeRegistryChange(change: RegistryChange): Uint8Array {
	return new TextEncoder().encode(canonicalJson(change));
}

/** The SHA-256 of the canonical bytes, for a log entry's leaf or a receipt. */
export function registryChangeDigest(change: RegistryChange): string {
	return sha256Hex(canonicalJson(change));
}

function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const keys = Object.keys(value).sort();
		const record = value as Record<string, unknown>;
		return `{${keys
			.filter((key) => record[key] !== undefined)
			.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
			.join(',')}}`;
	}
	return JSON.stringify(value ?? null);
}
