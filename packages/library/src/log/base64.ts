/**
 * Strict standard base64 (RFC 4648 §4, padded). Node's decoder skips characters it does not
 * know, so two different strings could decode to the same bytes; signed formats must have one
 * spelling for each value, so the text must be exactly what re-encoding the bytes gives.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function decodeBase64Strict(text: string): Uint8Array | undefined {
	if (!BASE64.test(text)) return undefined;
	const bytes = Buffer.from(text, 'base64');
	return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
}

export function encodeBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
