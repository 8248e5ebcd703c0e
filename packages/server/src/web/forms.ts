/**
 * Reading a posted form with a bound: the body is read as a stream and refused past
 * `MAX_FORM_BYTES` (413) whatever Content-Length claims, and only
 * `application/x-www-form-urlencoded` is accepted (the encoding of every form here). Each
 * field is bounded again where it is used.
 */
import type { Context } from 'hono';
import { serverError } from '../errors.ts';

export const MAX_FORM_BYTES = 16 * 1024;

export async function readForm(c: Context, limit = MAX_FORM_BYTES): Promise<URLSearchParams> {
	const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
	if (type !== 'application/x-www-form-urlencoded') {
		throw serverError('BAD_REQUEST', 'Forms are sent as application/x-www-form-urlencoded.');
	}
	const declared = Number(c.req.header('content-length') ?? '0');
	if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
	const body = c.req.raw.body;
	if (body === null) return new URLSearchParams();
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			await reader.cancel();
			throw tooLarge(limit);
		}
		chunks.push(value);
	}
	return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** One field, trimmed and bounded; undefined when absent or empty. */
export function field(form: URLSearchParams, name: string, max = 1000): string | undefined {
	const value = form.get(name)?.trim();
	if (value === undefined || value === '') return undefined;
	if (value.length > max)
		throw serverError('BAD_REQUEST', `The field ${name} is longer than ${max} characters.`);
	return value;
}

function tooLarge(limit: number) {
	return serverError('PAYLOAD_TOO_LARGE', `A form is at most ${limit} bytes.`);
}
