/**
 * zod at the edge: queries, JSON bodies. A failure is a 400 naming the field (and never echoing
 * the value), so a client can fix its request.
 */
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import type { Context } from 'hono';
import type { z } from 'zod';
import { serverError } from '../errors.ts';

export function parseWith<S extends z.ZodType>(
	schema: S,
	value: unknown,
	where: string,
): z.infer<S> {
	const result = schema.safeParse(value);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	// Key names come from the request: shown bounded and without controls.
	const field =
		issue === undefined || issue.path.length === 0
			? where
			: sanitizeText(issue.path.map(String).join('.'), { maxLength: 100 });
	const unknownKeys =
		issue?.code === 'unrecognized_keys'
			? ` (unknown: ${issue.keys
					.slice(0, 5)
					.map((key) => sanitizeText(key, { maxLength: 40 }))
					.join(', ')})`
			: '';
	throw serverError(
		'BAD_REQUEST',
		`Invalid ${where}: ${field}: ${sanitizeText(issue?.message ?? 'invalid', { maxLength: 200 })}${unknownKeys}.`,
		{
			hint: 'See the API reference in the service README.',
			details: { field },
		},
	);
}

export function validQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
	return parseWith(schema, c.req.query(), 'query');
}

/** The JSON body; anything that is not JSON is a 400 before validation. */
export async function validJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
	const type = c.req.header('content-type') ?? '';
	if (!/^application\/json\b/i.test(type)) {
		throw serverError(
			'BAD_REQUEST',
			'The request body must be JSON (Content-Type: application/json).',
		);
	}
	let body: unknown;
	try {
		body = await c.req.json();
	} catch {
		throw serverError('BAD_REQUEST', 'The request body is not valid JSON.');
	}
	return parseWith(schema, body, 'body');
}
