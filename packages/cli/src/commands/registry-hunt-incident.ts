/**
 * `registry hunt --open-incident`: one incident for everything a hunt found, posted to the
 * registry service's admin API (`POST <service>/api/v1/admin/incidents`) with a maintainer's
 * token. The first evidence items point at a commit, file and line; the rest are counted in
 * the reason. The service address must be https (http only to this machine's loopback: the
 * token must never cross a network in clear), and the call is bounded in time and size.
 */
import { VouchError } from '@vouch/library/internal/core/errors';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { isLoopbackUrl } from '@vouch/library/internal/core/transport-policy';
import type { HuntReport } from '@vouch/library/internal/lifecycle/hunt/hunt';
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import {
	MAX_EVIDENCE_ITEMS,
	type ReportEvidence,
	reportEvidenceSchema,
} from '@vouch/library/internal/report/report-schema';

export const INCIDENT_TIMEOUT_MS = 30_000;
/** The answer is `{id}`: anything much larger is not the service. */
const MAX_ANSWER_BYTES = 64 * 1024;
const MAX_TITLE_CHARS = 200;
/** The service's bounds on an incident (its admin API refuses more). */
const MAX_REASON_CHARS = 2000;
const MAX_PLUGIN_IDS = 100;
const MAX_TOKEN_BYTES = 4096;

export interface OpenIncidentBody {
	grouping: 'plugin' | 'author';
	pluginIds: string[];
	ownerUrl?: string;
	title: string;
	reason: string;
	evidence: ReportEvidence[];
}

/** The repository owner: the canonical URL without its last path segment. */
function ownerOf(plugin: Pick<RegistryPlugin, 'canonicalGitUrl'>): string {
	return plugin.canonicalGitUrl.replace(/\/[^/]*$/, '');
}

/** The incident a hunt's hits make; undefined when nothing was found. */
export function incidentBodyOf(
	report: HuntReport,
	plugins: readonly Pick<RegistryPlugin, 'id' | 'canonicalGitUrl'>[],
	reason: string,
): OpenIncidentBody | undefined {
	const found = report.plugins.filter((p) => p.versions.some((v) => v.hits.length > 0));
	if (found.length === 0) return undefined;
	const pluginIds = found.slice(0, MAX_PLUGIN_IDS).map((p) => p.id);
	const owners = new Set(plugins.filter((p) => pluginIds.includes(p.id)).map((p) => ownerOf(p)));
	// One plugin: that plugin. Several of one owner: the author. Otherwise: the plugins listed.
	const byAuthor = found.length > 1 && owners.size === 1;
	const evidence: ReportEvidence[] = [];
	let unlisted = 0;
	for (const plugin of found) {
		for (const version of plugin.versions) {
			for (const hit of version.hits) {
				const item = {
					commit: version.commit,
					path: hit.path,
					...(hit.line > 0 ? { line: hit.line } : {}),
					note: sanitizeText(`${plugin.id} ${version.names.join(', ')}: ${hit.excerpt}`, {
						maxLength: 480,
					}),
				};
				// An item the service would refuse (a very long path) is counted, not sent.
				if (evidence.length < MAX_EVIDENCE_ITEMS && reportEvidenceSchema.safeParse(item).success) {
					evidence.push(item);
				} else {
					unlisted++;
				}
			}
			if (version.hitsTruncated) unlisted++;
		}
	}
	const indicator = report.indicator.text;
	const summary = found.map((plugin) => {
		const versions = plugin.versions.filter((v) => v.hits.length > 0);
		return `${plugin.id} (${versions.map((v) => v.names[0] ?? v.commit.slice(0, 12)).join(', ')})`;
	});
	// The counts come before the list of plugins, so a cut at the service's bound loses only names.
	const lines = [
		sanitizeText(reason.trim(), { maxLength: MAX_REASON_CHARS / 2, multiline: true }),
		'',
		`Found by vouch registry hunt for ${indicator}: ${report.totals.hits} hit(s) in ${report.totals.versionsWithHits} version(s) of ${found.length} plugin(s).`,
		...(unlisted > 0 ? [`${unlisted} more hit(s) are not listed as evidence.`] : []),
		...(found.length > MAX_PLUGIN_IDS
			? [`${found.length - MAX_PLUGIN_IDS} more plugin(s) are not listed in pluginIds.`]
			: []),
		...(report.totals.failed > 0
			? [`${report.totals.failed} plugin(s) could not be searched.`]
			: []),
		`Versions: ${summary.join('; ')}.`,
	];
	const title = `Hunt: ${indicator} in ${found.length === 1 ? pluginIds[0] : `${found.length} plugins`}`;
	return {
		grouping: byAuthor ? 'author' : 'plugin',
		pluginIds,
		...(byAuthor ? { ownerUrl: [...owners][0] as string } : {}),
		title: sanitizeText(title, { maxLength: MAX_TITLE_CHARS }),
		reason: sanitizeText(lines.join('\n'), { maxLength: MAX_REASON_CHARS, multiline: true }),
		evidence,
	};
}

/** https anywhere, http only to loopback; the admin path is resolved under it. */
export function incidentEndpoint(service: string): URL {
	let url: URL;
	try {
		url = new URL(service);
	} catch {
		throw usage(`Not a service address: ${sanitizeText(service, { maxLength: 200 })}.`);
	}
	const loopbackHttp = url.protocol === 'http:' && isLoopbackUrl(url.href);
	if (url.protocol !== 'https:' && !loopbackHttp) {
		throw usage('The service address must be https (http only to this machine).', {
			hint: 'The token would otherwise cross the network in clear.',
		});
	}
	if (url.username !== '' || url.password !== '') {
		throw usage('Give the token with --token-stdin, not in the address.');
	}
	const base = url.href.endsWith('/') ? url.href : `${url.href}/`;
	return new URL('api/v1/admin/incidents', base);
}

/** The first line of standard input: the token, never an argument (argv is visible to all). */
export async function readToken(stdin: NodeJS.ReadableStream | undefined): Promise<string> {
	if (stdin === undefined) throw usage('--token-stdin needs the token on standard input.');
	let text = '';
	for await (const chunk of stdin) {
		text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
		if (text.length > MAX_TOKEN_BYTES || text.includes('\n')) break;
	}
	const token = text.split(/\r?\n/)[0]?.trim() ?? '';
	if (token === '' || token.length > MAX_TOKEN_BYTES || !/^[\x21-\x7e]+$/.test(token)) {
		throw usage('No usable token on standard input.', {
			hint: 'Pipe the maintainer token in: `... --token-stdin < token-file`.',
		});
	}
	return token;
}

export async function postIncident(
	endpoint: URL,
	token: string,
	body: OpenIncidentBody,
	fetcher: typeof fetch,
): Promise<number> {
	let response: Response;
	try {
		response = await fetcher(endpoint, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: JSON.stringify(body),
			redirect: 'error',
			signal: AbortSignal.timeout(INCIDENT_TIMEOUT_MS),
		});
	} catch (error) {
		throw failed(
			`The service at ${sanitizeText(endpoint.origin)} could not be reached: ${sanitizeText(error instanceof Error ? error.message : String(error), { maxLength: 200 })}`,
		);
	}
	const text = await readBounded(response);
	if (!response.ok) {
		throw failed(
			`The service refused the incident (HTTP ${response.status}): ${sanitizeText(text, { maxLength: 300 })}`,
		);
	}
	let id: unknown;
	try {
		id = (JSON.parse(text) as { id?: unknown }).id;
	} catch {
		id = undefined;
	}
	if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) {
		throw failed('The service answered without an incident id.');
	}
	return id;
}

async function readBounded(response: Response): Promise<string> {
	if (response.body === null) return '';
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > MAX_ANSWER_BYTES) {
			await reader.cancel();
			throw failed(`The service's answer is larger than ${MAX_ANSWER_BYTES} bytes.`);
		}
		chunks.push(value);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function usage(message: string, options: { hint?: string } = {}): VouchError {
	return new VouchError('USAGE', message, { ...options, exitCode: 2 });
}

function failed(message: string): VouchError {
	return new VouchError('INCIDENT_NOT_OPENED', message, {
		hint: 'The hunt results above are complete; open the incident again once the service answers, or by hand on its admin pages.',
	});
}
