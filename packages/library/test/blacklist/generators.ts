/**
 * fast-check generators for blacklist property tests. Everything is drawn from small shared
 * pools, so entries and plugins collide often: same UUIDs, URL spellings of the same
 * repository, patterns cut from those URLs.
 */
import fc from 'fast-check';
import type { BlacklistEntry } from '../../src/blacklist/entry.ts';
import type { PluginIdentity } from '../../src/blacklist/types.ts';
import { UUID_A, UUID_B, UUID_C } from './helpers.ts';

const HOSTS = ['github.com', 'gitlab.com'];
const OWNERS = ['acme', 'badorg'];
const REPOS = ['tool', 'tool-two', 'malicious-repo', 'not-malicious-repo'];

const uuid = fc.constantFrom(UUID_A, UUID_B, UUID_C);
const uuidSpelling = fc
	.tuple(uuid, fc.constantFrom('lower', 'upper', 'padded'))
	.map(([value, form]) =>
		form === 'upper' ? value.toUpperCase() : form === 'padded' ? ` ${value} ` : value,
	);

/** One repository location, spelled any of the ways git accepts (D2 says they are the same). */
const remoteUrl = fc
	.record({
		host: fc.constantFrom(...HOSTS),
		owner: fc.constantFrom(...OWNERS),
		repo: fc.constantFrom(...REPOS),
		form: fc.constantFrom('https', 'http', 'ssh', 'scp', 'creds', 'port'),
		upperHost: fc.boolean(),
		gitSuffix: fc.boolean(),
		slash: fc.boolean(),
	})
	.map(({ host, owner, repo, form, upperHost, gitSuffix, slash }) => {
		const h = upperHost ? host.toUpperCase() : host;
		const path = `${owner}/${repo}${gitSuffix ? '.git' : ''}${slash ? '/' : ''}`;
		switch (form) {
			case 'http':
				return `http://${h}/${path}`;
			case 'ssh':
				return `ssh://git@${h}/${path}`;
			case 'scp':
				return `git@${h}:${path}`;
			case 'creds':
				return `https://user:secret@${h}/${path}`;
			case 'port':
				return `https://${h}:443/${path}`;
			default:
				return `https://${h}/${path}`;
		}
	});

/** Local sources; the tests resolve them with cwd /srv/plugins and home /home/user. */
const localUrl = fc
	.tuple(fc.constantFrom(...REPOS), fc.constantFrom('absolute', 'home', 'relative', 'file'))
	.map(([repo, form]) => {
		switch (form) {
			case 'home':
				return `~/plugins/${repo}`;
			case 'relative':
				return `./${repo}`;
			case 'file':
				return `file:///srv/plugins/${repo}`;
			default:
				return `/srv/plugins/${repo}`;
		}
	});

/** Inputs a matcher must survive without throwing. */
const oddUrl = fc.constantFrom(
	'',
	'   ',
	'https://',
	'https://github.com:99999/acme/tool',
	'not a url',
);

const url = fc.oneof(
	{ weight: 6, arbitrary: remoteUrl },
	{ weight: 2, arbitrary: localUrl },
	{ weight: 1, arbitrary: oddUrl },
);

const PYTHON_SPECIAL = new Set('.^$*+?{}[]\\|()/-'.split(''));

/** Python `re.escape`-like, kept as tokens so transformations never split an escape. */
function escapedTokens(literal: string, escapeDots: boolean): string[] {
	return [...literal].map((ch) =>
		PYTHON_SPECIAL.has(ch) && (escapeDots || ch !== '.') ? `\\${ch}` : ch,
	);
}

const QUANTIFIERS = ['?', '*', '+', '{0,2}', '{1}', '{2,}', '+?', '{,3}'];
const INSERTIONS = ['.*', '[a-z]+', '\\d*', '[^/]+', '\\b', '(?P<n>o)', '.', '[]t]', '\\w+'];

interface Edit {
	kind: 'quantify' | 'insert' | 'group' | 'optionalGroup' | 'upper';
	at: number;
	width: number;
	pick: number;
}

function applyEdit(tokens: string[], edit: Edit): void {
	const at = tokens.length === 0 ? 0 : edit.at % tokens.length;
	switch (edit.kind) {
		case 'quantify':
			if (tokens.length > 0)
				tokens[at] = `${tokens[at]}${QUANTIFIERS[edit.pick % QUANTIFIERS.length]}`;
			break;
		case 'insert':
			tokens.splice(at, 0, INSERTIONS[edit.pick % INSERTIONS.length] as string);
			break;
		case 'group':
		case 'optionalGroup': {
			const inner = tokens.splice(at, edit.width).join('');
			tokens.splice(at, 0, edit.kind === 'group' ? `(${inner})` : `(?:${inner})?`);
			break;
		}
		case 'upper':
			if (tokens.length > 0) tokens[at] = tokens[at]?.toUpperCase() ?? '';
	}
}

/** Patterns built from the literals of the pool URLs, with the syntax the prefilter must respect. */
const derivedPattern = fc
	.record({
		source: fc.oneof(
			url,
			fc.constantFrom('/srv/plugins/', 'github.com/badorg', '/home/user/plugins'),
		),
		start: fc.nat(),
		length: fc.integer({ min: 1, max: 30 }),
		escapeDots: fc.boolean(),
		anchorStart: fc.boolean(),
		anchorEnd: fc.boolean(),
		edits: fc.array(
			fc.record({
				kind: fc.constantFrom(
					'quantify' as const,
					'insert' as const,
					'group' as const,
					'optionalGroup' as const,
					'upper' as const,
				),
				at: fc.nat(),
				width: fc.integer({ min: 1, max: 4 }),
				pick: fc.nat(),
			}),
			{ maxLength: 3 },
		),
		alternative: fc.option(fc.constantFrom('tool', 'evil', 'acme/tool-two'), { nil: undefined }),
		ignoreCase: fc.boolean(),
	})
	.map((spec) => {
		const from = spec.source.length === 0 ? 0 : spec.start % spec.source.length;
		const tokens = escapedTokens(spec.source.slice(from, from + spec.length), spec.escapeDots);
		for (const edit of spec.edits) applyEdit(tokens, edit);
		let pattern = tokens.join('');
		if (spec.alternative !== undefined) pattern = `${pattern}|${spec.alternative}`;
		if (spec.anchorStart) pattern = `^${pattern}`;
		if (spec.anchorEnd) pattern = `${pattern}$`;
		if (spec.ignoreCase) pattern = `(?i)${pattern}`;
		return pattern;
	});

/** Patterns RE2 rejects, and valid ones whose literals are easy to misread. */
const trickyPattern = fc.constantFrom(
	'(a)\\1',
	'(?=x)tool',
	'(?<!x)tool',
	'[z-a]tool',
	'tool(',
	'x**',
	'',
	'a'.repeat(1100),
	'[[:alpha:]]ool',
	'\\Qgithub.com\\E',
	'gith\\x75b\\.com',
	'\\x2fbadorg',
	'(?i)GITHUB\\.COM/ACME',
	'acme(?i:/TOOL)',
	'[]a]cme/tool',
	'tool{,3}',
	'/tool$|^ssh',
	'\\/malicious-repo\\.git$',
	'malicious-repo\\.git\\Z',
	'\\Assh://',
);

const pattern = fc.oneof(
	{ weight: 8, arbitrary: derivedPattern },
	{ weight: 2, arbitrary: trickyPattern },
);

const pluginVersion = fc.constantFrom('1.0.0', 'v1.2', '1.9.9-beta.1', '2.0.0', '3', 'nightly', '');
const range = fc.constantFrom(
	'>=1.0.0 <2.0.0',
	'<2.0.0',
	'^2.0.0',
	'*',
	'1.x',
	'>=3.0.0',
	'not a range',
);

const reason = fc.constantFrom(
	'Malware',
	'Steals credentials \u001b[2J',
	'\u001b]8;;https://x.example\u0007link\u001b]8;;\u0007',
	'   ',
	'Fork of https://user:pw@github.com/acme/tool',
);

/** Which keys an entry has: single keys most often, so entries match often enough to compare. */
const KEY_SETS = [
	['uuid'],
	['url'],
	['url'],
	['urlRegex'],
	['urlRegex'],
	['uuid', 'url'],
	['uuid', 'urlRegex'],
	['url', 'urlRegex'],
	['uuid', 'url', 'urlRegex'],
	[],
] as const;

/** Commit ids in the spellings a registry or a store may hold, and ones that are not full ids. */
const COMMIT_A = 'a'.repeat(40);
const COMMIT_B = `${'0123456789abcdef'.repeat(2)}01234567`;
const COMMIT_SHA256 = 'c'.repeat(64);
const entryCommit = fc.constantFrom(COMMIT_A, COMMIT_B, COMMIT_SHA256, COMMIT_B.toUpperCase());
const pluginCommit = fc.constantFrom(
	COMMIT_A,
	COMMIT_A.toUpperCase(),
	COMMIT_B,
	COMMIT_SHA256,
	COMMIT_A.slice(0, 12),
	'',
	'not-a-commit',
);

const entry = fc
	.record({
		keys: fc.constantFrom(...KEY_SETS),
		withVersions: fc.boolean(),
		withCommit: fc.boolean(),
		commit: entryCommit,
		incident: fc.option(
			fc.constantFrom('https://registry.example/incidents/7', 'http://127.0.0.1:8080/incidents/1'),
			{ nil: undefined },
		),
		advice: fc.option(fc.constantFrom('Rotate your tokens.', 'x\u001b[31mred'), { nil: undefined }),
		uuid,
		url,
		urlRegex: pattern,
		versions: range,
		reason: fc.option(reason, { nil: undefined }),
		severity: fc.constantFrom('hard' as const, 'soft' as const),
		// Out-of-order and repeated indexes: file order must still decide.
		index: fc.integer({ min: 0, max: 12 }),
	})
	.map((drawn): BlacklistEntry => {
		const built: BlacklistEntry = { index: drawn.index, severity: drawn.severity };
		const keys: readonly string[] = drawn.keys;
		if (keys.includes('uuid')) built.uuid = drawn.uuid;
		if (keys.includes('url')) built.url = drawn.url;
		if (keys.includes('urlRegex')) built.urlRegex = drawn.urlRegex;
		if (drawn.withVersions) built.versions = drawn.versions;
		if (drawn.withCommit) built.commit = drawn.commit;
		if (drawn.incident !== undefined) built.incident = drawn.incident;
		if (drawn.advice !== undefined) built.advice = drawn.advice;
		if (drawn.reason !== undefined) built.reason = drawn.reason;
		return built;
	});

export const blacklist = fc.array(entry, { maxLength: 8 });

export const plugin: fc.Arbitrary<PluginIdentity> = fc.record(
	{
		url,
		uuid: uuidSpelling,
		version: pluginVersion,
		refVersion: pluginVersion,
		commit: pluginCommit,
	},
	{ requiredKeys: [] },
);

/** A plugin that takes the URL and UUID of one of the entries, so that entry is in play. */
function pluginLike(entries: readonly BlacklistEntry[]): fc.Arbitrary<PluginIdentity> {
	return fc.record({ pick: fc.nat(), base: plugin }).map(({ pick, base }) => {
		const target = entries[pick % entries.length] as BlacklistEntry;
		return {
			...base,
			...(target.url === undefined ? {} : { url: target.url }),
			...(target.uuid === undefined ? {} : { uuid: target.uuid.toUpperCase() }),
			...(target.commit === undefined || pick % 3 === 0 ? {} : { commit: target.commit }),
		};
	});
}

/** A blacklist and plugins to check against it, some random and some aimed at its entries. */
export const scenario = blacklist.chain((entries) =>
	fc.tuple(
		fc.constant(entries),
		fc.array(entries.length === 0 ? plugin : fc.oneof(plugin, pluginLike(entries)), {
			minLength: 1,
			maxLength: 6,
		}),
	),
);
