/**
 * `vouch registry blacklist add | remove | list | show`: Picard's registry tool's blacklist
 * commands, plus what it lacked: a stable id per entry (`remove <id>` removes exactly that
 * entry), `--severity`, `--versions`, `--commit`, `--report`, `--incident` and `--advice`, and a dry run of every new entry against the
 * registry's own plugins, which are named and asked about.
 */
import { type Command, Option } from '@commander-js/extra-typings';
import { tryCanonicalUrl } from '@vouch/library/internal/core/canonical-url';
import { normaliseUuid } from '@vouch/library/internal/core/uuid';
import {
	type BlacklistListing,
	describeKeys,
	listBlacklist,
	planBlacklistAdd,
	planBlacklistRemove,
} from '@vouch/library/internal/registry/edit/blacklist-plans';
import { jsonOption, profileOption } from '../common-options.ts';
import type { RegistryBlacklistListJson } from '../json/registry-edit.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import {
	actorOption,
	keyOption,
	openRegistryFile,
	type RegistrySession,
	reasonOption,
	registryFileOption,
	reportOption,
	runEdit,
	yesOption,
} from './registry-edit-session.ts';

function editCommand(parent: Command, name: string, description: string) {
	return parent
		.command(name)
		.description(description)
		.option('--url <url>', 'a plugin URL (compared in canonical form)')
		.option('--uuid <uuid>', 'a plugin UUID')
		.option('--url-regex <pattern>', 'a Python-syntax pattern, run on RE2 (search semantics)')
		.addOption(registryFileOption())
		.addOption(actorOption())
		.addOption(keyOption())
		.addOption(reasonOption())
		.addOption(yesOption())
		.addOption(profileOption())
		.addOption(jsonOption());
}

export function registerRegistryBlacklist(registry: Command, { io }: CommandContext): void {
	const blacklist = registry
		.command('blacklist')
		.description('add, remove, list or show blacklist entries');

	editCommand(blacklist, 'add', 'add an entry; the registry plugins it would block are named first')
		.addOption(
			new Option('--severity <severity>', 'hard (quarantine) or soft (disable)').choices([
				'hard',
				'soft',
			] as const),
		)
		.option('--versions <range>', 'only these versions (a semver range)')
		.option('--commit <hash>', 'only this commit (a full 40- or 64-hex id)')
		.option('--incident <url>', 'the public incident page (https)')
		.option('--advice <text>', 'what users should do, shown with the reason (≤ 1000 characters)')
		.addOption(reportOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const plan = planBlacklistAdd(session.context, {
				...(options.url === undefined ? {} : { url: options.url }),
				...(options.uuid === undefined ? {} : { uuid: options.uuid }),
				...(options.urlRegex === undefined ? {} : { urlRegex: options.urlRegex }),
				...(options.versions === undefined ? {} : { versions: options.versions }),
				...(options.commit === undefined ? {} : { commit: options.commit }),
				...(options.incident === undefined ? {} : { incident: options.incident }),
				...(options.advice === undefined ? {} : { advice: options.advice }),
				...(options.severity === undefined ? {} : { severity: options.severity }),
				...(options.reason === undefined ? {} : { reason: options.reason }),
				...(options.report === undefined ? {} : { report: options.report }),
			});
			await runEdit(session, plan, options, io, output);
		});

	editCommand(
		blacklist,
		'remove',
		'remove one entry by its id, or the entries with exactly these identifiers',
	)
		.argument('[id]', 'the entry id `blacklist list` shows')
		.action(async (id, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const plan = planBlacklistRemove(session.context, {
				...(id === undefined ? {} : { id }),
				...(options.url === undefined ? {} : { url: options.url }),
				...(options.uuid === undefined ? {} : { uuid: options.uuid }),
				...(options.urlRegex === undefined ? {} : { urlRegex: options.urlRegex }),
				...(options.reason === undefined ? {} : { reason: options.reason }),
			});
			await runEdit(session, plan, options, io, output);
		});

	listCommand(
		blacklist,
		'list',
		'every entry with its id, in file order (the first match wins)',
		io,
		false,
	);
	listCommand(
		blacklist,
		'show',
		'the entries naming this --url or --uuid, or the entry with this id',
		io,
		true,
	);
}

function listCommand(
	parent: Command,
	name: string,
	description: string,
	io: CommandContext['io'],
	filtered: boolean,
) {
	parent
		.command(name)
		.description(description)
		.argument('[id]', 'an entry id')
		.option('--url <url>', 'entries with this URL')
		.option('--uuid <uuid>', 'entries with this UUID')
		.addOption(registryFileOption())
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (id, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			let listings = listBlacklist(session.context);
			if (filtered || id !== undefined || options.url !== undefined || options.uuid !== undefined) {
				listings = listings.filter((listing) => matches(session, listing, id, options));
			}
			printListings(session, listings, output);
		});
}

function matches(
	session: RegistrySession,
	listing: BlacklistListing,
	id: string | undefined,
	options: { url?: string; uuid?: string },
): boolean {
	if (id !== undefined && listing.id !== id) return false;
	const context = session.context.urlContext;
	if (options.url !== undefined) {
		const wanted = tryCanonicalUrl(options.url, context) ?? options.url;
		const url =
			typeof listing.entry.url === 'string'
				? (tryCanonicalUrl(listing.entry.url, context) ?? listing.entry.url)
				: undefined;
		if (url !== wanted) return false;
	}
	if (options.uuid !== undefined) {
		const uuid =
			typeof listing.entry.uuid === 'string' ? normaliseUuid(listing.entry.uuid) : undefined;
		if (uuid !== normaliseUuid(options.uuid)) return false;
	}
	return true;
}

function text(value: unknown): string | null {
	return typeof value === 'string' ? value : null;
}

function printListings(
	session: RegistrySession,
	listings: BlacklistListing[],
	output: Output,
): void {
	const entries = listings.map(({ id, index, entry }) => {
		const parsed = session.registry.blacklist[index];
		const row: RegistryBlacklistListJson['entries'][number] = {
			id,
			index,
			severity: parsed?.severity ?? 'hard',
			reason: text(entry.reason),
			blacklistedAt: text(entry.blacklisted_at),
			report: text(entry.report),
			actor: text(entry.actor),
		};
		if (typeof entry.uuid === 'string') row.uuid = entry.uuid;
		if (typeof entry.url === 'string') row.url = entry.url;
		if (typeof entry.url_regex === 'string') row.urlRegex = entry.url_regex;
		if (typeof entry.versions === 'string') row.versions = entry.versions;
		if (typeof entry.commit === 'string') row.commit = entry.commit;
		if (typeof entry.incident === 'string') row.incident = entry.incident;
		if (typeof entry.advice === 'string') row.advice = entry.advice;
		return row;
	});
	if (output.json) {
		output.result({
			ok: true,
			file: session.path,
			count: entries.length,
			entries,
		} satisfies RegistryBlacklistListJson);
		return;
	}
	for (const [position, row] of entries.entries()) {
		const what = row.urlRegex ?? row.url ?? row.uuid ?? '';
		const kinds = describeKeys(listings[position]?.entry ?? {});
		output.line(`${output.style.bold(safe(row.id))}  ${kinds}  ${safe(what)}  ${row.severity}`);
		if (row.uuid !== undefined && row.urlRegex !== undefined)
			output.line(`  uuid ${safe(row.uuid)}`);
		if (row.versions !== undefined) output.line(`  versions ${safe(row.versions)}`);
		if (row.commit !== undefined) output.line(`  commit ${safe(row.commit)}`);
		output.line(
			`  ${safe(row.reason ?? '(no reason)')}${row.blacklistedAt === null ? '' : `  ${safe(row.blacklistedAt)}`}`,
		);
		if (row.report !== null) output.line(`  report ${safe(row.report)}`);
		if (row.incident !== undefined) output.line(`  incident ${safe(row.incident)}`);
		if (row.advice !== undefined) output.line(`  advice ${safe(row.advice)}`);
	}
	output.line(output.style.dim(`${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}`));
}
