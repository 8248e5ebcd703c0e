/**
 * Recognises the one kind of request the connection layer answers itself: a bodiless
 * `GET` or `HEAD` of a hot file in plain, strict HTTP/1.1. It is not an HTTP parser, and it
 * never tries to make sense of a request it does not fully recognise: anything outside the
 * narrow form below makes it answer undefined, and the connection goes to `node:http`'s own
 * parser, which judges the very same bytes. The form:
 * - the request line is exactly `GET <target> HTTP/1.1` or `HEAD <target> HTTP/1.1`, the
 *   target one of the hot files;
 * - every line ends in CRLF (a bare CR or LF anywhere is refused), and every header line is a
 *   token, a colon, and a value of visible characters, spaces and tabs (no folding);
 * - exactly one `Host`; at most one `If-None-Match` and one `X-Forwarded-For`;
 * - no `Content-Length`, `Transfer-Encoding`, `Expect` or `Upgrade`, and `Connection`, if
 *   present, is `keep-alive`.
 *
 * Because such a request has no body, it ends at its first blank line, and any reader of
 * HTTP/1.1 finds the same end: a proxy in front cannot disagree with us about where the next
 * request starts.
 */

/** The head of a request that the connection layer may answer itself. */
export interface HotRequestHead {
	method: 'GET' | 'HEAD';
	target: string;
	ifNoneMatch: string | undefined;
	forwardedFor: string | undefined;
}

/** Past these, the request is left to `node:http`, whose own limits then apply. */
export const MAX_HOT_HEAD_BYTES = 8 * 1024;
export const MAX_HOT_HEADER_LINES = 64;

// Two plain character classes, each matched once along the line. One pattern for the whole
// line, with optional spaces and tabs on both sides of a lazy value that may hold spaces and
// tabs too, backtracks over every way of splitting a run of them: a line of a few thousand
// spaces and one bad byte took seconds (cubic in the run), and held the event loop that long.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const REFUSED_HEADERS = new Set(['content-length', 'transfer-encoding', 'expect', 'upgrade']);

/**
 * `head` is the request's bytes up to, not including, the blank line's CRLF CRLF, decoded as
 * latin1 (one character per byte). Undefined: leave the request to `node:http`. `maxBytes`: a
 * longer head is left to it too (at most `MAX_HOT_HEAD_BYTES`).
 */
export function readHotRequestHead(
	head: string,
	hotTargets: ReadonlySet<string> | ReadonlyMap<string, unknown>,
	maxBytes = MAX_HOT_HEAD_BYTES,
): HotRequestHead | undefined {
	if (head.length > Math.min(maxBytes, MAX_HOT_HEAD_BYTES)) return undefined;
	const lines = head.split('\r\n');
	if (lines.length - 1 > MAX_HOT_HEADER_LINES) return undefined;
	const requestLine = lines[0] ?? '';
	const method = requestLine.startsWith('GET ')
		? 'GET'
		: requestLine.startsWith('HEAD ')
			? 'HEAD'
			: undefined;
	if (method === undefined || !requestLine.endsWith(' HTTP/1.1')) return undefined;
	const target = requestLine.slice(method.length + 1, -' HTTP/1.1'.length);
	if (!hotTargets.has(target)) return undefined;
	let hosts = 0;
	let ifNoneMatch: string | undefined;
	let forwardedFor: string | undefined;
	for (let i = 1; i < lines.length; i++) {
		const field = readHeaderLine(lines[i] ?? '');
		if (field === undefined) return undefined;
		const [name, value] = field;
		if (REFUSED_HEADERS.has(name)) return undefined;
		if (name === 'host') {
			hosts++;
		} else if (name === 'connection') {
			if (value.toLowerCase() !== 'keep-alive') return undefined;
		} else if (name === 'if-none-match') {
			if (ifNoneMatch !== undefined) return undefined;
			ifNoneMatch = value;
		} else if (name === 'x-forwarded-for') {
			if (forwardedFor !== undefined) return undefined;
			forwardedFor = value;
		}
	}
	if (hosts !== 1) return undefined;
	return { method, target, ifNoneMatch, forwardedFor };
}

/** A header line's lower-case name and its value without the spaces and tabs around it. */
function readHeaderLine(line: string): [string, string] | undefined {
	const colon = line.indexOf(':');
	const name = line.slice(0, colon);
	const value = line.slice(colon + 1);
	if (colon < 1 || !HEADER_NAME.test(name) || !HEADER_VALUE.test(value)) return undefined;
	// Only SP and HTAB are trimmed (not `trim()`, which also takes 0xA0, an obs-text byte).
	let start = 0;
	let end = value.length;
	while (start < end && (value[start] === ' ' || value[start] === '\t')) start++;
	while (end > start && (value[end - 1] === ' ' || value[end - 1] === '\t')) end--;
	return [name.toLowerCase(), value.slice(start, end)];
}
