/**
 * Addresses whose only use in a plugin is to receive what it takes: a chat webhook or bot URL
 * with its token written in (whoever holds the token reads every message the plugin sends from
 * every user's machine), and request catchers made for collecting callbacks (webhook.site,
 * pipedream, interactsh and other out-of-band testing domains). Those are high. Tunnels and
 * paste or file-drop sites also host payloads and take uploads, but have honest uses: medium.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { stringMatchers } from './shared.ts';

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
	const value = (file.stringValue(node) ?? node.text).slice(0, 2048).toLowerCase();
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

export const endpointMatchers: readonly Matcher[] = [...stringMatchers(HINT, checkString)];
