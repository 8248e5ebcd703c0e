/**
 * The two verified targets back to the one registry document the parser reads.
 *
 * Why merge rather than return both: the verifier seam hands the loader one text, and the
 * loader's parser is where every blacklist entry is validated (a malformed one refuses the
 * whole registry, D1). Merging keeps that single path. The merge cannot mix versions: both
 * targets were checked against the same verified targets metadata.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import { jsonNestingExceeds } from '../../registry/decode.ts';
import { MAX_REGISTRY_BYTES, REGISTRY_LIMITS } from '../../registry/limits.ts';
import { tufError } from '../errors.ts';

export function mergeRegistryTargets(registry: Uint8Array, blacklist: Uint8Array): string {
	if (registry.byteLength + blacklist.byteLength > MAX_REGISTRY_BYTES) {
		throw invalid(`together they are larger than ${MAX_REGISTRY_BYTES} bytes`);
	}
	const registryDocument = decodeObject(registry, 'registry.json');
	const blacklistDocument = decodeObject(blacklist, 'blacklist.json');
	// The blacklist target is the only source of blacklist entries: a second list inside the
	// registry target would be a publishing error, and guessing which one wins is not safe.
	if (Object.hasOwn(registryDocument, 'blacklist')) {
		throw invalid('registry.json carries its own blacklist');
	}
	const entries = blacklistDocument.blacklist;
	if (!Array.isArray(entries) || Object.keys(blacklistDocument).length !== 1) {
		throw invalid('blacklist.json is not {"blacklist": [...]}');
	}
	return JSON.stringify({ ...registryDocument, blacklist: entries });
}

function decodeObject(bytes: Uint8Array, name: string): Record<string, unknown> {
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		throw invalid(`${name} is not UTF-8 text`);
	}
	if (jsonNestingExceeds(text, REGISTRY_LIMITS.maxDepth) !== undefined) {
		throw invalid(`${name} is nested too deeply`);
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw invalid(`${name} is not JSON`);
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw invalid(`${name} is not a JSON object`);
	}
	return value as Record<string, unknown>;
}

function invalid(problem: string) {
	return tufError(
		'TUF_TARGET_INVALID',
		`The signed registry targets cannot be read: ${sanitizeText(problem)}.`,
		{ hint: 'The repository was published wrongly; tell the registry maintainers.' },
	);
}
