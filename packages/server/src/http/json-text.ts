/**
 * JSON as the service sends it: `<`, `>` and `&` (and the two JavaScript line separators) are
 * written as `\u` escapes. The value is unchanged for any JSON parser, but a reason such as
 * `<script>` can never appear as markup, even where a response is mistaken for HTML or pasted
 * into a page.
 */

export const JSON_TYPE = 'application/json; charset=utf-8';

const UNSAFE = /[<>&\u2028\u2029]/g;

export function jsonText(value: unknown): string {
	return JSON.stringify(value).replace(
		UNSAFE,
		(ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}

export function jsonReply(
	value: unknown,
	status = 200,
	headers: Record<string, string> = {},
): Response {
	return new Response(jsonText(value), {
		status,
		headers: { 'Content-Type': JSON_TYPE, 'Cache-Control': 'no-store', ...headers },
	});
}
