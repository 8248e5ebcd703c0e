/**
 * Addresses whose only use in a plugin is to receive what it takes: a chat webhook or bot URL
 * with its token written in (whoever holds the token reads every message the plugin sends from
 * every user's machine), and request catchers made for collecting callbacks (webhook.site,
 * pipedream, interactsh and other out-of-band testing domains). Those are high. Tunnels and
 * paste or file-drop sites also host payloads and take uploads, but have honest uses: medium.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { JS_CALL, PY_CALL, stringMatchers } from './shared.ts';

const HINT =
	/webhooks?|api\.telegram|hooks\.slack|pipedream|requestbin|requestcatcher|interact\.sh|oast\.|burpcollaborator|canarytokens|dnslog|ngrok|trycloudflare|serveo|localtunnel|loca\.lt|pastebin|paste\.ee|hastebin|transfer\.sh|file\.io|anonfiles|gofile|temp\.sh|0x0\.st/i;

interface Endpoint {
	what: string;
	pattern: RegExp;
	high: boolean;
}

const ENDPOINTS: readonly Endpoint[] = [
	{
		what: 'a Discord webhook with its token',
		pattern: /discord(?:app)?\.com\/api\/(?:v\d+\/)?webhooks\/\d+\/[\w-]+/,
		high: true,
	},
	{
		what: 'a Slack webhook with its token',
		pattern: /hooks\.slack\.com\/(?:services|workflows)\/\w/,
		high: true,
	},
	{
		what: 'a Telegram bot with its token',
		pattern: /api\.telegram\.org\/bot\d+:[\w-]+/,
		high: true,
	},
	{
		what: 'a request catcher',
		pattern:
			/(?:^|[/.@])(?:webhook\.site|[\w-]+\.m\.pipedream\.net|requestbin\.\w+|[\w-]+\.requestcatcher\.com|[\w-]+\.(?:oast\.(?:fun|live|me|online|pro|site)|interact\.sh|burpcollaborator\.net|oastify\.com|dnslog\.cn)|canarytokens\.com)(?:[/:?#]|$)/,
		high: true,
	},
	{
		what: 'a tunnel or paste or file-drop site',
		pattern:
			/(?:^|[/.@])(?:[\w-]+\.ngrok(?:-free)?\.(?:io|app|dev)|[\w-]+\.trycloudflare\.com|serveo\.net|[\w-]+\.loca\.lt|pastebin\.com\/raw|paste\.ee\/r|hastebin\.com\/raw|transfer\.sh|file\.io|anonfiles\.com|[\w-]*\.?gofile\.io|temp\.sh|0x0\.st)(?:[/:?#]|$)/,
		high: false,
	},
];

function checkString(node: Node, file: FileContext): void {
	// An f-string or template literal of known pieces is read as the text it makes.
	checkValue(file.stringValue(node) ?? file.foldString(node) ?? node.text, node, file);
}

function checkValue(text: string, node: Node, file: FileContext): void {
	const value = text.slice(0, 2048).toLowerCase();
	for (const endpoint of ENDPOINTS) {
		if (!endpoint.pattern.test(value)) continue;
		file.report(
			'exfil-endpoint',
			node,
			`names ${endpoint.what}`,
			endpoint.high ? undefined : { severity: 'medium', confidence: 'low' },
		);
		return;
	}
}

/**
 * An address built from pieces (`'https://api.telegram.org/bot' + TOKEN + '/sendMessage'`,
 * `'/'.join([...])`, `''.concat(...)`, `'{}{}'.format(...)`) is the same address once folded,
 * the way a stager's command is: the outermost expression is read whole.
 */
function checkFolded(node: Node, file: FileContext): void {
	if (node.parent?.type === node.type) return;
	const value = file.foldString(node);
	if (value !== undefined && HINT.test(value)) checkValue(value, node, file);
}

/** Files that may build an address: a scheme or a service's name written somewhere. */
const BUILT_HINT = /:\/\/|webhook|telegram|discord|slack|pipedream|ngrok|paste/i;
const JOINING = /^(?:join|concat|format)$/;

const hinted = new WeakMap<FileContext, boolean>();

/**
 * The pieces of a built address are often constants defined far from where they are joined, so
 * the text prerequisite is the whole file's, tested once, not the span around the expression.
 */
function mayBuild(file: FileContext): boolean {
	let known = hinted.get(file);
	if (known === undefined) {
		known = BUILT_HINT.test(file.text);
		hinted.set(file, known);
	}
	return known;
}

export const endpointMatchers: readonly Matcher[] = [
	...stringMatchers(HINT, checkString),
	...(
		[
			['python', '(binary_operator operator: "+") @sum'],
			['js', '(binary_expression operator: "+") @sum'],
		] as const
	).map(
		([family, query]): Matcher => ({
			family,
			query,
			check: ({ sum }, file) => {
				if (sum !== undefined && mayBuild(file)) checkFolded(sum, file);
			},
		}),
	),
	...(['python', 'js'] as const).map(
		(family): Matcher => ({
			family,
			query: family === 'python' ? PY_CALL : JS_CALL,
			check: ({ call, callee }, file) => {
				if (call === undefined || !mayBuild(file)) return;
				const method = /([\w$]+)\s*$/.exec(callee?.text ?? '')?.[1];
				if (method !== undefined && JOINING.test(method)) checkFolded(call, file);
			},
		}),
	),
];
