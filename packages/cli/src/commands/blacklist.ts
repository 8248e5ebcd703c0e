/**
 * `vouch blacklist [list]` and `vouch blacklist search <text>`: what the loaded registry's
 * blacklist blocks and why, newest entries first. A search text that is a URL is answered by
 * the compiled matcher, so it also says whether that address is blocked.
 */
import type { Command } from '@commander-js/extra-typings';
import { compileBlacklist, createPatternCache } from '@vouch/library/internal/blacklist/index';
import { isUrlSpelling, sourceKind } from '@vouch/library/internal/core/canonical-url';
import { knownAddress } from '@vouch/library/internal/lifecycle/source';
import type { CommonOptions } from '../common-options.ts';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import {
	type LoadedRegistry,
	loadRegistry,
	printRegistryWarnings,
	profileFor,
	registryJson,
	registryTrustLabel,
	urlContextFor,
} from '../context.ts';
import type { CliIO } from '../io.ts';
import type { BlacklistListJson, BlacklistSearchJson } from '../json/blacklist.ts';
import { gitFor, lifecycleIO } from '../lifecycle-context.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { answerForUrl, type UrlAnswer } from './blacklist-search.ts';
import {
	type BlacklistRow,
	blacklistRow,
	entryKind,
	matchingFields,
	newestFirst,
} from './blacklist-view.ts';

export function registerBlacklist(program: Command, { io }: CommandContext): void {
	const group = program
		.command('blacklist')
		.description('show what the registry blacklist blocks and why (list, search)');
	group
		.command('list', { isDefault: true })
		.description('every blacklist entry with its reason, severity and date, newest first')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const { output, loaded, rows, problems } = await loadRows(options, io);
			if (output.json) {
				output.result({
					ok: true,
					count: rows.length,
					entries: rows,
					registry: registryJson(loaded),
					problems: [...problems],
				} satisfies BlacklistListJson);
				return;
			}
			output.line(heading(loaded, rows.length, 'newest first'));
			for (const row of rows) printRow(row, output);
		});
	group
		.command('search')
		.description(
			'entries whose uuid, url, pattern or reason contains the text; a URL in any spelling',
		)
		.argument('<text>', 'a UUID, URL, organisation or words of a reason')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (text, options) => {
			const { output, loaded, rows, compiled, context } = await loadRows(options, io);
			// A local spelling (`file://`) is asked about by its real address too, as install
			// checks it (D11): through a symlink it must not read as not blocked.
			const known =
				isUrlSpelling(text) && sourceKind(text) === 'local'
					? await knownAddress(text, {
							...context,
							realPath: lifecycleIO(io).realPath,
							repositoryDir: (path) => gitFor(io, false).repositoryDir(path),
						})
					: undefined;
			const url = isUrlSpelling(text)
				? answerForUrl(text, loaded.registry.blacklist, compiled, context, known)
				: undefined;
			const found = rows
				.map((row) => {
					const matchedOn: BlacklistSearchJson['entries'][number]['matchedOn'] = matchingFields(
						row,
						text,
					);
					if (url?.naming.includes(row.index)) matchedOn.push('address');
					return { ...row, matchedOn };
				})
				.filter((row) => row.matchedOn.length > 0);
			if (output.json) {
				output.result({
					ok: true,
					query: text,
					count: found.length,
					entries: found,
					...(url === undefined ? {} : { url }),
					registry: registryJson(loaded),
				});
				return;
			}
			if (url !== undefined) printUrlAnswer(text, url, output);
			output.line(heading(loaded, found.length, `matching "${safe(text)}"`));
			for (const row of found) printRow(row, output);
		});
}

async function loadRows(options: CommonOptions, io: CliIO) {
	const output = createOutput(io, options.json === true);
	const profile = profileFor(options, io);
	const loaded = await loadRegistry(options, profile, io, output);
	printRegistryWarnings(loaded, output);
	const patterns = createPatternCache();
	const context = { ...urlContextFor(profile, io), patterns };
	const compiled = compileBlacklist(loaded.registry.blacklist, context);
	const problems = compiled.problems;
	for (const problem of problems) {
		output.note(
			`warning: blacklist entry #${problem.index} has a url_regex RE2 cannot compile; it matches nothing: ${safe(problem.error)}`,
		);
	}
	const rows = newestFirst(loaded.registry.blacklist.map(blacklistRow));
	return { output, loaded, rows, problems, compiled, context };
}

function heading(loaded: LoadedRegistry, count: number, what: string): string {
	const entries = count === 1 ? '1 entry' : `${count} entries`;
	return `Blacklist of ${safe(loaded.source)} (${registryTrustLabel(loaded)}): ${entries}, ${what}`;
}

function printRow(row: BlacklistRow, output: Output): void {
	const { style } = output;
	const severity = row.severity === 'hard' ? style.red('hard') : style.yellow('soft');
	const date = row.blacklistedAt ?? 'no date';
	output.line('');
	output.line(`${style.bold(`#${row.index}`)}  ${severity}  ${date}  ${style.dim(entryKind(row))}`);
	if (row.uuid !== undefined) output.line(`  uuid:      ${row.uuid}`);
	if (row.url !== undefined) output.line(`  url:       ${row.url}`);
	if (row.urlRegex !== undefined) output.line(`  url_regex: ${row.urlRegex}`);
	if (row.versions !== undefined) output.line(`  versions:  ${row.versions}`);
	const reason = row.reasonGiven ? row.reason : `${row.reason} ${style.dim('(no reason given)')}`;
	output.line(`  reason:    ${reason}`);
}

function printUrlAnswer(text: string, url: UrlAnswer, output: Output): void {
	const { style } = output;
	const shown = safe(url.canonical ?? text);
	if (url.canonical === undefined) {
		output.note(`warning: ${safe(text)} cannot be made canonical; it was compared as written.`);
	}
	if (url.blocked) {
		const on = (url.matchedOn ?? []).join(' + ');
		output.line(`${style.red('✗')} ${shown} is blocked by entry #${url.entry} (matched on ${on})`);
	} else if (url.naming.length > 0) {
		output.line(
			`${style.yellow('!')} ${shown} is not blocked by its address alone: the entries naming it also need a UUID or version to match`,
		);
	} else {
		output.line(`${style.green('✓')} ${shown} is not blocked`);
	}
}
