/**
 * `vouch registry review <plugin-url-or-id> --registry <plugins.toml>` and
 * `vouch registry review --changed <old> <new>`: the verdict CI runs on a registry pull request,
 * printed as Markdown for a bot comment (`--markdown`), as JSON (`--json`, which carries the
 * Markdown too) or as text. Exit codes: 0 pass, 1 reject; needs-attention exits 0, or 1 with
 * `--strict`; 2 for a usage mistake. Scan reports are stored beside the registry file
 * (`scan-reports/<id>/<commit>.json`) unless `--reports-dir` names another place.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Command, Option } from '@commander-js/extra-typings';
import { isUrlSpelling } from '@vouch/library/internal/core/canonical-url';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import type { RefReviewDeps } from '@vouch/library/internal/lifecycle/review/ref-review';
import {
	type ReviewSubject,
	reviewPlugin,
} from '@vouch/library/internal/lifecycle/review/review-plugin';
import { digestTree } from '@vouch/library/internal/lifecycle/store/index';
import { readManifest } from '@vouch/library/internal/manifest/read';
import { registryError } from '@vouch/library/internal/registry/errors';
import { buildRegistryIndex } from '@vouch/library/internal/registry/index';
import { lintRegistry } from '@vouch/library/internal/registry/lint';
import { anchorLocalPaths } from '@vouch/library/internal/registry/local-paths';
import {
	REGISTRY_TRUST_LEVELS,
	type Registry,
	type TrustLevel,
} from '@vouch/library/internal/registry/model';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { changedPlugins } from '@vouch/library/internal/registry/review/changed';
import { FindingSink } from '@vouch/library/internal/registry/review/findings';
import { renderVerdictMarkdown } from '@vouch/library/internal/registry/review/markdown';
import {
	combineVerdict,
	type PluginReview,
	type ReviewVerdict,
} from '@vouch/library/internal/registry/review/verdict';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor, urlContextFor } from '../context.ts';
import type { CliIO } from '../io.ts';
import type { RegistryReviewJson } from '../json/registry-review.ts';
import { gitFor } from '../lifecycle-context.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { createProgress } from '../progress.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';

interface ReviewOptions {
	registry?: string;
	changed?: boolean;
	trust?: string;
	refs?: string[];
	json?: boolean;
	markdown?: boolean;
	reportsDir?: string;
	offlineMirror?: boolean;
	strict?: boolean;
	profile?: string;
}

function usage(message: string, hint?: string): VouchError {
	return new VouchError('USAGE', message, {
		exitCode: ExitCode.usage,
		...(hint === undefined ? {} : { hint }),
	});
}

export function registerRegistryReview(registry: Command, { io, state }: CommandContext): void {
	registry
		.command('review')
		.description(
			'the verdict on a plugin a registry pull request adds or changes (Markdown or JSON)',
		)
		.argument(
			'[targets...]',
			'a plugin id in --registry or a candidate git URL; with --changed: <old> <new>',
		)
		.addOption(new Option('--registry <file>', 'the registry file as the pull request leaves it'))
		.addOption(
			new Option('--changed', 'review every plugin added or changed between two registry files'),
		)
		.addOption(
			new Option(
				'--trust <level>',
				'the trust level asked for (default: the entry’s, or community)',
			),
		)
		.addOption(
			new Option(
				'--refs <refs...>',
				'the refs to review (default: the entry’s refs, or the default branch)',
			),
		)
		.addOption(
			new Option(
				'--markdown',
				'print the verdict as Markdown, safe to post as a comment',
			).conflicts('json'),
		)
		.addOption(
			new Option(
				'--reports-dir <dir>',
				'where scan reports are stored (default: beside the registry file)',
			),
		)
		.addOption(
			new Option(
				'--offline-mirror',
				'the registry stays a local file: entries may name local repositories',
			),
		)
		.addOption(new Option('--strict', 'exit 1 on needs-attention too'))
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (targets, options) => {
			const output = createOutput(io, options.json === true);
			const verdict = await runReview(targets, options as ReviewOptions, io, output);
			const file = options.changed === true ? (targets[1] ?? '') : (options.registry ?? '');
			const markdown = renderVerdictMarkdown(verdict.verdict);
			if (output.json) {
				output.result({
					ok: verdict.verdict.level !== 'reject',
					level: verdict.verdict.level,
					registry: resolve(io.cwd, file),
					plugins: verdict.verdict.plugins,
					registryFindings: verdict.verdict.registryFindings,
					markdown,
				} satisfies RegistryReviewJson);
			} else if (options.markdown === true) {
				io.stdout.write(markdown);
			} else {
				printText(verdict.verdict, output);
			}
			const level = verdict.verdict.level;
			if (level === 'reject' || (level === 'needs-attention' && options.strict === true)) {
				state.exitCode = ExitCode.error;
			}
		});
}

function trustOption(text: string | undefined): TrustLevel | undefined {
	if (text === undefined) return undefined;
	if ((REGISTRY_TRUST_LEVELS as readonly string[]).includes(text)) return text as TrustLevel;
	throw usage(
		`--trust ${safe(text, { maxLength: 40 })} is not a registry trust level.`,
		'Use official, trusted or community.',
	);
}

async function readReviewedRegistry(
	path: string,
	options: ReviewOptions,
	io: CliIO,
): Promise<Registry> {
	const profile = profileFor(options, io);
	const context = urlContextFor(profile, io);
	const text = await readRegistryFile(path, { cwd: io.cwd });
	const parsed = parseRegistryText(text, { label: path, ...context, cwd: dirname(path) });
	// Only an offline mirror's local paths are resolved next to the file (D11).
	return options.offlineMirror === true ? anchorLocalPaths(parsed, dirname(path), context) : parsed;
}

async function runReview(
	targets: string[],
	options: ReviewOptions,
	io: CliIO,
	output: Output,
): Promise<{ verdict: ReviewVerdict }> {
	const trust = trustOption(options.trust);
	const profile = profileFor(options, io);
	const urlContext = urlContextFor(profile, io);
	const deps = reviewDeps(io, profile.categories);
	const progress = createProgress(io, !output.json);
	const common = {
		...(trust === undefined ? {} : { trust }),
		...(options.refs === undefined ? {} : { refs: options.refs }),
		categories: profile.categories,
		registryIsLocal: options.offlineMirror === true,
		urlContext,
		now: io.now(),
	};
	if (options.changed === true) {
		if (targets.length !== 2) throw usage('--changed takes two registry files: <old> <new>.');
		const [oldPath, newPath] = targets.map((target) => resolve(io.cwd, target)) as [string, string];
		const before = await readReviewedRegistry(oldPath, options, io);
		const after = await readReviewedRegistry(newPath, options, io);
		const reportsDir = resolve(io.cwd, options.reportsDir ?? dirname(newPath));
		const reviews: PluginReview[] = [];
		for (const changed of changedPlugins(before, after)) {
			progress.start(`Reviewing ${safe(changed.plugin.id, { maxLength: 100 })}`);
			try {
				reviews.push(
					await reviewPlugin(
						{
							...common,
							registry: after,
							subject: { kind: 'entry', plugin: changed.plugin, as: changed.change },
							reportsDir,
						},
						deps,
					),
				);
			} finally {
				progress.stop();
			}
		}
		return { verdict: combineVerdict(reviews, registryWideFindings(after, options)) };
	}
	if (targets.length !== 1) throw usage('Name one plugin: its id in --registry, or a git URL.');
	if (options.registry === undefined || isUrlSpelling(options.registry)) {
		throw usage(
			'--registry <file> is required, as a path: the registry file as the pull request leaves it.',
		);
	}
	const registryPath = resolve(io.cwd, options.registry);
	const registry = await readReviewedRegistry(registryPath, options, io);
	const target = targets[0] as string;
	let subject: ReviewSubject;
	if (isUrlSpelling(target)) {
		subject = { kind: 'candidate', url: target };
	} else {
		const plugin = buildRegistryIndex(registry, urlContext).byId(target);
		if (plugin === undefined) {
			throw registryError(
				'PLUGIN_NOT_IN_REGISTRY',
				`${safe(registryPath)} has no plugin with the id ${safe(target, { maxLength: 100 })}.`,
				{
					hint: 'Give the id of an entry in the file, or the git URL of a plugin not yet in it.',
				},
			);
		}
		subject = { kind: 'entry', plugin, as: 'entry' };
	}
	const reportsDir = resolve(io.cwd, options.reportsDir ?? dirname(registryPath));
	progress.start(`Reviewing ${safe(target, { maxLength: 200 })}`);
	try {
		const review = await reviewPlugin({ ...common, registry, subject, reportsDir }, deps);
		return { verdict: combineVerdict([review]) };
	} finally {
		progress.stop();
	}
}

/** Lint errors about no one plugin (a malformed entry, the blacklist): no plugin review sees them. */
function registryWideFindings(registry: Registry, options: ReviewOptions) {
	const sink = new FindingSink();
	const report = lintRegistry(
		registry,
		options.offlineMirror === true
			? { transport: { kind: 'registry-git', registryIsLocal: true } }
			: {},
	);
	for (const issue of report.errors) {
		if (issue.plugin === undefined) sink.add(issue.code, 'error', issue.message);
	}
	return sink.list();
}

function reviewDeps(io: CliIO, categories: readonly string[]): RefReviewDeps {
	return {
		git: gitFor(io, false),
		readManifest: (dir) => readManifest(dir, { categories }),
		// The scanner loads its grammars on first use: other commands do not pay for them.
		scan: async (dir) => (await import('@vouch/library/internal/scan/index')).scanPlugin(dir),
		digest: (dir) => digestTree(dir),
		makeTempDir: () => mkdtemp(join(tmpdir(), 'vouch-review-')),
		removeDir: (path) => rm(path, { recursive: true, force: true }),
	};
}

function printText(verdict: ReviewVerdict, output: Output): void {
	const { style } = output;
	const mark = {
		pass: style.green('✓'),
		'needs-attention': style.yellow('!'),
		reject: style.red('✗'),
	};
	for (const finding of verdict.registryFindings) {
		output.line(
			`${mark.reject} registry: ${safe(finding.message)} ${style.dim(`[${finding.code}]`)}`,
		);
	}
	for (const plugin of verdict.plugins) {
		output.line(
			`${mark[plugin.level]} ${style.bold(safe(plugin.id))} (${safe(plugin.name)}): ${plugin.level}, reviewed for ${plugin.trust}`,
		);
		for (const ref of plugin.refs) {
			const scan =
				ref.scan === undefined
					? 'not scanned'
					: `scan ${ref.scan.high} high, ${ref.scan.medium} medium, ${ref.scan.low} low`;
			output.line(
				`  ref ${safe(ref.ref)} ${ref.commit?.slice(0, 12) ?? '-'}: manifest ${ref.manifest}, ${scan}${ref.report === undefined ? '' : `, report ${safe(ref.report)}`}`,
			);
		}
		for (const finding of plugin.findings) {
			const where = finding.ref === undefined ? '' : `${safe(finding.ref)}: `;
			output.line(
				`  ${finding.severity.padEnd(7)} ${where}${safe(finding.message)} ${style.dim(`[${finding.code}]`)}`,
			);
		}
	}
	output.line(`Verdict: ${mark[verdict.level]} ${verdict.level}`);
}
