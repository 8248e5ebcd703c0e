/**
 * Registry text to the in-memory model. Picard TOML and the equivalent JSON share one schema.
 *
 * Failure policy (spec §11 item 48, D1):
 * - a malformed plugin entry is skipped with a warning naming it, and the rest still loads:
 *   a missing plugin only becomes unavailable, which is safe;
 * - a malformed blacklist entry fails the whole load with BLACKLIST_INVALID: dropping it would
 *   silently unblock whatever it was meant to block.
 */
import type { z } from 'zod';
import { type CanonicalUrlContext, pickUrlContext } from '../core/canonical-url.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { toBlacklistEntry, toRegistryPlugin } from './convert.ts';
import {
	assertRegistrySize,
	decodeRegistryText,
	type RegistryFormat,
	sniffRegistryFormat,
} from './decode.ts';
import { registryError } from './errors.ts';
import { REGISTRY_LIMITS } from './limits.ts';
import type { BlacklistEntry, Registry, RegistryPlugin } from './model.ts';
import { blacklistEntrySchema, pluginEntrySchema, registryEnvelopeSchema } from './schema.ts';
import { checkUnknownKeys, PLUGIN_KEYS, warnEntryKeys } from './unknown-keys.ts';
import { WarningCollector } from './warnings.ts';

export { MAX_REGISTRY_BYTES } from './limits.ts';

export interface ParseRegistryOptions {
	/** Sniffed when absent: JSON if the first non-space character is `{`. */
	format?: RegistryFormat;
	/** Where the text came from, for messages. */
	label: string;
	/** Base for relative local paths in `git_url` and `redirect_from`. */
	cwd?: string;
	/** Expansion of `~` in local paths. */
	home?: string;
	/** The profile's hosts with case-insensitive repository paths (D2). */
	caseInsensitivePathHosts?: readonly string[];
	/** Default REGISTRY_LIMITS.maxBytes. */
	maxBytes?: number;
}

const DATE_KEYS = ['added_at', 'updated_at', 'blacklisted_at'] as const;

export function parseRegistryText(text: string, options: ParseRegistryOptions): Registry {
	const { label } = options;
	assertRegistrySize(text, label, options.maxBytes ?? REGISTRY_LIMITS.maxBytes);
	const format = options.format ?? sniffRegistryFormat(text);
	const document = decodeRegistryText(text, format, label);
	const envelope = registryEnvelopeSchema.safeParse(document);
	if (!envelope.success) {
		throw registryError(
			'REGISTRY_PARSE_ERROR',
			`The registry from ${sanitizeText(label)} is not a registry document: ${describeIssue(envelope.error)}`,
		);
	}
	const rawPlugins = envelope.data.plugins ?? [];
	const rawBlacklist = envelope.data.blacklist ?? [];
	assertCount(rawPlugins.length, REGISTRY_LIMITS.maxPlugins, 'plugins', label);
	assertCount(rawBlacklist.length, REGISTRY_LIMITS.maxBlacklistEntries, 'blacklist entries', label);

	const context: CanonicalUrlContext = pickUrlContext(options);
	const warnings = new WarningCollector(REGISTRY_LIMITS.warnings);
	// Unknown keys are named; a misspelt blacklist table fails the load (fail safe, D1).
	checkUnknownKeys(document as Record<string, unknown>, label, warnings);
	// The blacklist first: if it is broken, nothing else matters.
	const blacklist = parseBlacklist(rawBlacklist, context, label);
	const plugins = parsePlugins(rawPlugins, format, context, warnings);

	const registry: Registry = {
		format,
		plugins,
		blacklist,
		warnings: warnings.finish(),
		label: sanitizeText(label),
		rawPluginCount: rawPlugins.length,
	};
	if (envelope.data.api_version !== undefined) registry.apiVersion = envelope.data.api_version;
	return registry;
}

function parseBlacklist(
	raw: readonly unknown[],
	context: CanonicalUrlContext,
	label: string,
): BlacklistEntry[] {
	const entries: BlacklistEntry[] = [];
	for (let index = 0; index < raw.length; index++) {
		const parsed = blacklistEntrySchema.safeParse(withStringDates(raw[index]));
		const converted = parsed.success
			? toBlacklistEntry(parsed.data, index, context)
			: { ok: false as const, problem: describeIssue(parsed.error) };
		if (!converted.ok) {
			throw registryError(
				'BLACKLIST_INVALID',
				`Blacklist entry #${index} in the registry from ${sanitizeText(label)} is malformed: ${converted.problem}`,
				{
					hint: 'The registry is refused rather than read without this entry. Tell the registry maintainers.',
					details: { entry: index },
				},
			);
		}
		entries.push(converted.value);
	}
	return entries;
}

function parsePlugins(
	raw: readonly unknown[],
	format: RegistryFormat,
	context: CanonicalUrlContext,
	warnings: WarningCollector,
): RegistryPlugin[] {
	const plugins: RegistryPlugin[] = [];
	for (let index = 0; index < raw.length; index++) {
		// Only TOML has native date-times; JSON entries are used as they are.
		const entry = format === 'toml' ? withStringDates(raw[index]) : raw[index];
		const parsed = pluginEntrySchema.safeParse(entry);
		const converted = parsed.success
			? toRegistryPlugin(parsed.data, context)
			: { ok: false as const, problem: describeIssue(parsed.error) };
		if (!converted.ok) {
			const name = entryName(entry, index);
			warnings.add({
				code: 'PLUGIN_SKIPPED',
				message: `Skipped plugin entry ${name}: ${converted.problem}`,
				plugin: name,
			});
			continue;
		}
		const plugin = converted.value;
		if (plugin.declaredTrustLevel !== undefined) {
			const what =
				plugin.declaredTrustLevel === ''
					? 'has no trust_level'
					: `has an unknown trust_level "${sanitizeText(plugin.declaredTrustLevel, { maxLength: 40 })}"`;
			warnings.add({
				code: 'UNKNOWN_TRUST_LEVEL',
				message: `Plugin "${sanitizeText(plugin.id)}" ${what}; it is treated as community.`,
				plugin: sanitizeText(plugin.id),
			});
		}
		plugins.push(plugin);
	}
	warnEntryKeys(raw, PLUGIN_KEYS, 'plugin entries', warnings);
	return plugins;
}

/** `"the-id" (#3)` when the entry has a readable id, else `#3`. Always sanitised. */
function entryName(entry: unknown, index: number): string {
	const id = isRecord(entry) ? entry.id : undefined;
	if (typeof id === 'string' && id.trim().length > 0) {
		return `"${sanitizeText(id, { maxLength: 100 })}" (#${index})`;
	}
	return `#${index}`;
}

/** TOML can write timestamps as native date-times; the model keeps the text form. */
function withStringDates(entry: unknown): unknown {
	if (!isRecord(entry)) return entry;
	let copy: Record<string, unknown> | undefined;
	for (const key of DATE_KEYS) {
		const value = entry[key];
		if (value instanceof Date) {
			copy ??= { ...entry };
			copy[key] = Number.isNaN(value.getTime()) ? String(value) : value.toISOString();
		}
	}
	return copy ?? entry;
}

function assertCount(count: number, max: number, what: string, label: string): void {
	if (count > max) {
		throw registryError(
			'REGISTRY_TOO_LARGE',
			`The registry from ${sanitizeText(label)} has ${count} ${what}; at most ${max} are accepted.`,
			{ details: { count, max } },
		);
	}
}

/** The first issue, as `path: message`. Paths and messages can quote input, so sanitised. */
/** The first few problems, worded for a registry maintainer rather than in zod's terms. */
function describeIssue(error: z.ZodError): string {
	const shown = error.issues.slice(0, 3).map((issue) => {
		const path = issue.path.map(String).join('.');
		if (issue.code === 'invalid_type') {
			// zod leaves the input out of issues, but its message says what it received.
			const missing = issue.message.endsWith('received undefined');
			if (path.length > 0) {
				return missing ? `${path} is missing` : `${path} must be ${article(issue.expected)}`;
			}
		}
		return path.length > 0 ? `${path}: ${issue.message}` : issue.message;
	});
	if (shown.length === 0) return 'invalid';
	const more = error.issues.length - shown.length;
	const text = shown.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
	return sanitizeText(text, { maxLength: 300 });
}

function article(expected: string): string {
	return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
