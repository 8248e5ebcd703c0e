/**
 * `vouch registry hunt <indicator> --registry <file>`: searches every published version of every
 * plugin (tags, registry refs, pinned commits) for a string, an RE2-checked pattern (`re:`) or a
 * scanner rule (`rule:`), prints where it is, and with `--open-incident` opens one incident for
 * all of it on the registry service.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { createGit } from '@vouch/library/internal/git/git';
import {
	DEFAULT_HUNT_JOBS,
	type HuntReport,
	huntRegistry,
	MAX_HUNT_JOBS,
} from '@vouch/library/internal/lifecycle/hunt/hunt';
import { parseIndicator } from '@vouch/library/internal/lifecycle/hunt/indicator';
import { scanForRule } from '@vouch/library/internal/lifecycle/hunt/rule-scan';
import { DEFAULT_HUNT_LIMITS } from '@vouch/library/internal/lifecycle/hunt/types';
import { anchorLocalPaths } from '@vouch/library/internal/registry/local-paths';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor, urlContextFor } from '../context.ts';
import type { RegistryHuntJson } from '../json/registry-hunt.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { createProgress } from '../progress.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';
import {
	incidentBodyOf,
	incidentEndpoint,
	postIncident,
	readToken,
} from './registry-hunt-incident.ts';

/** Hits printed per version in the table; --json carries them all. */
const HITS_SHOWN = 5;

function wholeNumber(min: number, max: number) {
	return (value: string): number => {
		const n = Number(value);
		if (!Number.isInteger(n) || n < min || n > max) {
			throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
		}
		return n;
	};
}

function collect(value: string, previous: string[]): string[] {
	return [...previous, value];
}

export function registerRegistryHunt(registry: Command, { io, state }: CommandContext): void {
	registry
		.command('hunt')
		.description(
			'search every published version of every plugin for an indicator, and open one incident',
		)
		.argument('<indicator>', 'a plain string, re:<RE2 pattern>, or rule:<scanner rule id>')
		.addOption(new Option('--registry <file>', 'the registry file (plugins.toml or JSON)'))
		.addOption(
			new Option('--plugin <id>', 'only this plugin (repeatable)').argParser(collect).default([]),
		)
		.addOption(
			new Option('--jobs <n>', `plugins searched at once (1-${MAX_HUNT_JOBS})`)
				.argParser(wholeNumber(1, MAX_HUNT_JOBS))
				.default(DEFAULT_HUNT_JOBS),
		)
		.addOption(
			new Option('--timeout <seconds>', 'time limit of each git operation')
				.argParser(wholeNumber(1, 3600))
				.default(DEFAULT_HUNT_LIMITS.gitTimeoutMs / 1000),
		)
		.addOption(
			new Option('--plugin-timeout <minutes>', 'time limit of one plugin’s whole search')
				.argParser(wholeNumber(1, 24 * 60))
				.default(DEFAULT_HUNT_LIMITS.pluginTimeoutMs / 60_000),
		)
		.addOption(
			new Option('--max-repository-mib <n>', 'disk one plugin’s fetch may take')
				.argParser(wholeNumber(1, 65_536))
				.default(DEFAULT_HUNT_LIMITS.maxRepositoryBytes / 1024 / 1024),
		)
		.addOption(new Option('--open-incident', 'open one incident for what is found'))
		.addOption(new Option('--service <url>', 'the registry service (with --open-incident)'))
		.addOption(new Option('--token-stdin', 'read the maintainer token from standard input'))
		.addOption(new Option('--reason <text>', 'why the incident is opened (with --open-incident)'))
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (text, options) => {
			const output = createOutput(io, options.json === true);
			if (options.registry === undefined) {
				throw usage('Name the registry file: --registry plugins.toml.');
			}
			const indicator = parseIndicator(text);
			// Everything --open-incident needs is checked before the (long) hunt starts.
			const incident = await incidentSettings(options, io.stdin);
			const profile = profileFor(options, io);
			const path = resolve(io.cwd, options.registry);
			const source = await readRegistryFile(path, { cwd: io.cwd });
			const urlContext = urlContextFor(profile, io);
			// A registry kept as a local file may list local repositories (D11), read next to it.
			const parsed = anchorLocalPaths(
				parseRegistryText(source, { label: path, ...urlContext }),
				dirname(path),
				urlContext,
			);
			// A mistyped id would read as "nothing found": it is refused before the search.
			const unknown = options.plugin.filter((id) => !parsed.plugins.some((p) => p.id === id));
			if (unknown.length > 0) {
				throw usage(
					`Not in the registry: ${unknown.map((id) => safe(id, { maxLength: 100 })).join(', ')}.`,
				);
			}
			const progress = createProgress(io, !output.json);
			let report: HuntReport;
			try {
				report = await huntRegistry(
					{
						registry: parsed,
						indicator,
						pluginIds: options.plugin,
						jobs: options.jobs,
						limits: {
							gitTimeoutMs: options.timeout * 1000,
							pluginTimeoutMs: options.pluginTimeout * 60_000,
							maxRepositoryBytes: options.maxRepositoryMib * 1024 * 1024,
						},
					},
					{
						git: createGit({ env: io.env, cwd: io.cwd, timeoutMs: options.timeout * 1000 }),
						makeTempDir: () => mkdtemp(join(tmpdir(), 'vouch-hunt-')),
						removeDir: (dir) => rm(dir, { recursive: true, force: true }),
						scanRule: scanForRule,
						onEvent: (event) => {
							if (event.kind === 'plugin-started') {
								progress.start(`Searching ${safe(event.id)} (${event.index + 1}/${event.total})`);
							} else if (event.kind === 'plugin-finished') {
								output.note(
									`searched ${safe(event.id)} (${event.done}/${event.total}): ${event.hits} hit(s)`,
								);
							}
						},
					},
				);
			} finally {
				progress.stop();
			}
			// The table comes first: a service that refuses the incident must not hide the results.
			if (!output.json) printReport(report, output);
			let opened: { id: number; url: string } | undefined;
			if (incident !== undefined) {
				const body = incidentBodyOf(report, parsed.plugins, incident.reason);
				if (body === undefined) {
					output.note('Nothing found: no incident opened.');
				} else {
					const id = await postIncident(incident.endpoint, incident.token, body, io.fetch);
					opened = { id, url: new URL(`../../../incidents/${id}`, incident.endpoint).href };
					output.line(`Incident ${id} opened: ${safe(opened.url)}`);
				}
			}
			const ok = report.totals.failed === 0;
			output.result({
				ok,
				file: path,
				...report,
				...(opened === undefined ? {} : { incident: opened }),
			} satisfies RegistryHuntJson);
			if (!ok) state.exitCode = ExitCode.error;
		});
}

interface IncidentSettings {
	endpoint: URL;
	token: string;
	reason: string;
}

async function incidentSettings(
	options: { openIncident?: true; service?: string; tokenStdin?: true; reason?: string },
	stdin: NodeJS.ReadableStream | undefined,
): Promise<IncidentSettings | undefined> {
	if (options.openIncident !== true) {
		if (options.service !== undefined || options.tokenStdin === true) {
			throw usage('--service and --token-stdin go with --open-incident.');
		}
		return undefined;
	}
	if (options.service === undefined || options.tokenStdin !== true) {
		throw usage('--open-incident needs --service <url> and --token-stdin.');
	}
	const reason = options.reason?.trim() ?? '';
	if (reason === '') throw usage('--open-incident needs --reason <text>: every incident has one.');
	const endpoint = incidentEndpoint(options.service);
	return { endpoint, token: await readToken(stdin), reason };
}

function printReport(report: HuntReport, output: Output): void {
	const { style } = output;
	for (const plugin of report.plugins) {
		if (plugin.status === 'failed') {
			output.line(
				`${style.red('✗')} ${style.bold(safe(plugin.id))}: not searched: ${safe(plugin.error?.message ?? '')} ${style.dim(`[${plugin.error?.code ?? ''}]`)}`,
			);
			continue;
		}
		const found = plugin.versions.filter((v) => v.hits.length > 0);
		const mark = found.length > 0 ? style.red('!') : style.green('✓');
		output.line(
			`${mark} ${style.bold(safe(plugin.id))}: ${found.length} of ${plugin.versions.length} version(s) hit, ${plugin.filesSearched} file(s) searched`,
		);
		for (const version of found) {
			output.line(
				`    ${safe(version.names.join(', '))} ${style.dim(version.commit.slice(0, 12))}`,
			);
			for (const hit of version.hits.slice(0, HITS_SHOWN)) {
				output.line(`      ${safe(hit.path)}:${hit.line}  ${safe(hit.excerpt)}`);
			}
			const more = version.hits.length - HITS_SHOWN + (version.hitsTruncated ? 1 : 0);
			if (more > 0) output.line(style.dim(`      … more (see --json)`));
		}
		for (const version of plugin.versions.filter((v) => v.error !== undefined)) {
			output.line(
				`    ${style.yellow('!')} ${safe(version.names.join(', '))}: ${safe(version.error?.message ?? '')}`,
			);
		}
		if (plugin.versionsOmitted > 0) {
			output.line(style.dim(`    ${plugin.versionsOmitted} older version(s) not searched`));
		}
	}
	for (const id of report.unknownPluginIds) {
		output.line(`${style.yellow('!')} ${safe(id)}: not in the registry`);
	}
	const t = report.totals;
	output.line(
		`${t.pluginsWithHits} plugin(s), ${t.versionsWithHits} version(s), ${t.hits} hit(s) for ${safe(report.indicator.text)}; ${t.plugins} plugin(s) searched, ${t.failed} failed`,
	);
}

function usage(message: string): VouchError {
	return new VouchError('USAGE', message, { exitCode: ExitCode.usage });
}
