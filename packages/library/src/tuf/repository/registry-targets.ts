/**
 * A registry source (Picard TOML or JSON) to the two targets a repository serves:
 * `registry.json` (everything but the blacklist) and `blacklist.json` (`{"blacklist": [...]}`).
 *
 * Two targets, so a blacklist change ships on its own (D23): the registry target keeps its
 * bytes and hash, and clients download only the new blacklist. The text is parsed first with
 * the client's own parser, so nothing is published that clients would refuse, and written as
 * canonical JSON, so an unchanged source gives byte-identical targets.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import { decodeRegistryText, type RegistryFormat } from '../../registry/decode.ts';
import { MAX_REGISTRY_BYTES, REGISTRY_LIMITS } from '../../registry/limits.ts';
import { lintRegistry } from '../../registry/lint.ts';
import { parseRegistryText } from '../../registry/parse.ts';
import { isUnpinnedOfficial } from '../../registry/release-policy.ts';
import { CanonicalJsonError, canonicalJson } from '../canonical-json.ts';
import { tufError } from '../errors.ts';

export interface RegistryTargets {
	registry: Buffer;
	blacklist: Buffer;
	/** Parser warnings that did not stop publishing (unknown fields, unknown trust levels). */
	warnings: string[];
	/** The plugin ids the registry lists (their scan reports may be published beside it). */
	ids: string[];
}

export interface RegistryTargetsOptions {
	format?: RegistryFormat;
	/** For messages. */
	label: string;
}

export function registryTargets(text: string, options: RegistryTargetsOptions): RegistryTargets {
	// Throws the registry's own codes (REGISTRY_PARSE_ERROR, BLACKLIST_INVALID, ...).
	const parsed = parseRegistryText(text, {
		label: options.label,
		...(options.format === undefined ? {} : { format: options.format }),
	});
	const rawCount = parsed.rawPluginCount ?? parsed.plugins.length;
	if (parsed.plugins.length !== rawCount) {
		const skipped = parsed.warnings
			.filter((warning) => warning.code === 'PLUGIN_SKIPPED')
			.map((warning) => warning.message);
		throw tufError(
			'TUF_REGISTRY_INVALID',
			`${rawCount - parsed.plugins.length} plugin entries in ${sanitizeText(options.label)} are malformed; clients would skip them.`,
			{ hint: 'Fix the entries and publish again.', details: { skipped } },
		);
	}
	// Nothing is signed that `vouch registry lint` refuses: unknown keys, missing reasons, bad
	// patterns, broken redirects. Signing a typo would ship it to every client as verified.
	const lint = lintRegistry(parsed);
	if (lint.errors.length > 0) {
		const shown = lint.errors
			.slice(0, 10)
			.map((issue) =>
				issue.plugin === undefined ? issue.message : `${issue.plugin}: ${issue.message}`,
			);
		throw tufError(
			'TUF_REGISTRY_INVALID',
			`${sanitizeText(options.label)} does not pass \`vouch registry lint\` (${lint.errors.length} error(s)): ${sanitizeText(shown.join('; '), { maxLength: 1000 })}`,
			{
				hint: 'Run `vouch registry lint <file>`, fix what it reports, and publish again.',
				details: { errors: lint.errors.slice(0, 100) },
			},
		);
	}
	// D19b: an official plugin installs only a pinned release from a signed registry, so an
	// official entry without pins would be uninstallable: refused here, where it can be fixed.
	const unpinned = parsed.plugins
		.filter((plugin) => isUnpinnedOfficial(plugin))
		.map((plugin) => sanitizeText(plugin.id));
	if (unpinned.length > 0) {
		throw tufError(
			'TUF_REGISTRY_INVALID',
			`Official plugins without reviewed releases in ${sanitizeText(options.label)}: ${unpinned.slice(0, 10).join(', ')}${unpinned.length > 10 ? ', ...' : ''}.`,
			{
				hint: 'Pin a reviewed release of each with `vouch registry pin <id> <ref> --registry <file> --write`, then publish again.',
				details: { unpinned },
			},
		);
	}
	const document = decodeRegistryText(text, parsed.format, options.label) as Record<
		string,
		unknown
	>;
	const { blacklist, ...rest } = document;
	const registry = encodeTarget(rest, options.label);
	const blacklistBytes = encodeTarget({ blacklist: blacklist ?? [] }, options.label);
	// Clients parse the two as one document, under the registry size limit.
	if (registry.byteLength + blacklistBytes.byteLength > MAX_REGISTRY_BYTES) {
		throw tufError(
			'TUF_REGISTRY_INVALID',
			`${sanitizeText(options.label)} is larger than the ${MAX_REGISTRY_BYTES} bytes clients accept.`,
		);
	}
	return {
		registry,
		blacklist: blacklistBytes,
		warnings: parsed.warnings.map((warning) => warning.message),
		ids: parsed.plugins.map((plugin) => plugin.id),
	};
}

function encodeTarget(value: unknown, label: string): Buffer {
	try {
		// Clients refuse JSON nested deeper than this, so it is refused here first.
		return Buffer.from(`${canonicalJson(value, REGISTRY_LIMITS.maxDepth)}\n`, 'utf8');
	} catch (error) {
		if (!(error instanceof CanonicalJsonError)) throw error;
		throw tufError(
			'TUF_REGISTRY_INVALID',
			`${sanitizeText(label)} cannot be written as JSON: ${error.message}.`,
		);
	}
}
