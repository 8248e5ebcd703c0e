/**
 * The optional stable `id` of each blacklist entry, read from the decoded document: the entry
 * model does not carry it everywhere, and a diff pairs entries by it when both sides have one.
 */
import { decodeRegistryText, sniffRegistryFormat } from '../decode.ts';

const MAX_ID_LENGTH = 200;

export function blacklistIdsOf(text: string, label: string): (string | undefined)[] {
	const document = decodeRegistryText(text, sniffRegistryFormat(text), label) as {
		blacklist?: unknown;
	};
	if (!Array.isArray(document.blacklist)) return [];
	return document.blacklist.map((entry: unknown) => {
		const id =
			entry !== null && typeof entry === 'object' ? (entry as { id?: unknown }).id : undefined;
		return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : undefined;
	});
}
