/**
 * Plugin UUIDs: the permanent identity behind blacklisting and trust binding.
 * UUIDs are compared lowercase everywhere.
 */
import { coreError, ExitCode } from './errors.ts';
import { sanitizeText } from './sanitize.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Copy-paste favourites from documentation and tests; a plugin must not ship one. */
export const PLACEHOLDER_UUIDS: ReadonlySet<string> = new Set([
	'00000000-0000-0000-0000-000000000000',
	'11111111-1111-1111-1111-111111111111',
	'aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa',
	'ffffffff-ffff-ffff-ffff-ffffffffffff',
	'12345678-1234-4234-8234-123456789abc',
	'deadbeef-dead-beef-dead-beefdeadbeef',
	'cafebabe-cafe-babe-cafe-babecafebabe',
	'a1b2c3d4-e5f6-4789-8b9c-1d2e3f4a5b6c',
]);

/** Hand-typed UUIDs have few distinct digits; real v4 UUIDs almost never fall below this. */
export const MIN_UUID_ENTROPY_BITS = 2.8;

export type UuidProblem = 'not-v4' | 'placeholder' | 'low-entropy';

/**
 * The comparison key of a UUID: lowercase, and other spellings of a UUID (`{...}`,
 * `urn:uuid:...`, no hyphens) brought to the canonical form, so that a library caller who
 * passes one still compares equal to the blacklist (input from people is refused instead).
 */
export function normaliseUuid(value: string): string {
	const text = value.trim().toLowerCase();
	if (!isUuidVariant(text)) return text;
	const digits = text.replace(/^urn:uuid:/, '').replace(/[{}-]/g, '');
	return `${digits.slice(0, 8)}-${digits.slice(8, 12)}-${digits.slice(12, 16)}-${digits.slice(16, 20)}-${digits.slice(20)}`;
}

/** 8-4-4-4-12 hex digits, any case: the one spelling of a UUID Vouch accepts from anyone. */
const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Other spellings of a UUID (`{...}`, `urn:uuid:...`, 32 bare digits). They name the same
 * UUID, but compare unequal as text: accepting them anywhere is how a blacklisted UUID would
 * read as "not blacklisted". So they are refused, and recognised only to say why.
 */
const UUID_VARIANT =
	/^(?:urn:uuid:|\{)?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?$/i;

/** The canonical form, 8-4-4-4-12 hex (any case on input), surrounding whitespace aside. */
export function isCanonicalUuid(value: string): boolean {
	return typeof value === 'string' && CANONICAL_UUID.test(value.trim());
}

/** A UUID written some other way than the canonical form (braces, URN, no hyphens). */
export function isUuidVariant(value: string): boolean {
	if (typeof value !== 'string') return false;
	const text = value.trim();
	return !CANONICAL_UUID.test(text) && UUID_VARIANT.test(text);
}

/**
 * A UUID typed by a user, lowercased; anything but the canonical form is a usage error (exit 2)
 * whose hint shows the form to use.
 */
export function parseUuidArgument(value: string, what = 'UUID'): string {
	if (isCanonicalUuid(value)) return normaliseUuid(value);
	const shown = sanitizeText(value, { maxLength: 80 });
	throw coreError('INVALID_UUID', `${what} ${shown} is not a UUID in canonical form.`, {
		hint: 'Write it as 8-4-4-4-12 hex digits, e.g. 3f1c9a52-7be4-4d21-9c8e-51a7d2e60b94, without braces or urn:uuid:.',
		exitCode: ExitCode.usage,
	});
}

/** Shannon entropy, in bits per symbol, of the 32 hex digits of a UUID. */
export function uuidEntropy(uuid: string): number {
	const digits = uuid.toLowerCase().replaceAll('-', '');
	if (digits.length === 0) return 0;
	const counts = new Map<string, number>();
	for (const d of digits) counts.set(d, (counts.get(d) ?? 0) + 1);
	let bits = 0;
	for (const count of counts.values()) {
		const p = count / digits.length;
		bits -= p * Math.log2(p);
	}
	return bits;
}

/** Why a string is not an acceptable plugin UUID, or undefined when it is. */
export function uuidProblem(value: string): UuidProblem | undefined {
	const uuid = value.toLowerCase();
	if (!UUID_V4.test(uuid)) return 'not-v4';
	if (PLACEHOLDER_UUIDS.has(uuid)) return 'placeholder';
	if (uuidEntropy(uuid) < MIN_UUID_ENTROPY_BITS) return 'low-entropy';
	return undefined;
}

export function isValidPluginUuid(value: string): boolean {
	return uuidProblem(value) === undefined;
}

/** Shape check only (v4, any case), for registry data that names other plugins. */
export function isUuidV4(value: string): boolean {
	return UUID_V4.test(value.toLowerCase());
}

/**
 * A fresh UUID that validation accepts. About 3 in a million random v4 UUIDs fail the
 * entropy check, so retry rather than hand one out.
 */
export function generatePluginUuid(random: () => string = randomUuid): string {
	for (let attempt = 0; attempt < 1000; attempt++) {
		const candidate = random().toLowerCase();
		if (isValidPluginUuid(candidate)) return candidate;
	}
	throw coreError('INVALID_UUID', 'The random source keeps producing unacceptable UUIDs.');
}

// node:crypto is loaded on first use (it costs a CLI start-up several milliseconds, and most
// commands never need it here).
function randomUuid(): string {
	return process.getBuiltinModule('node:crypto').randomUUID();
}
