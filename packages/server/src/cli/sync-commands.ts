/**
 * The maintainers' git workflow from the `vouch-server` command: follow a registry repository
 * while serving (`serve --follow`), export the service's registry to one (`export-repo`), and
 * load a directory of scan reports (`import --scan-reports`).
 */
import { basename, dirname, resolve } from 'node:path';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { createGit } from '@vouch/library/internal/git/git';
import type { Command } from 'commander';
import type { ServiceDb } from '../db/open.ts';
import type { Actor } from '../store/actor.ts';
import type { RegistryStore } from '../store/registry-store.ts';
import { exportToRepository } from '../sync/export.ts';
import { type Follower, followRegistryRepository } from '../sync/follow.ts';
import { importScanReports } from '../sync/scan-reports.ts';
import type { DatabaseFlags } from './database-options.ts';
import type { ServerCliIO } from './io.ts';
import { withDatabase } from './with-database.ts';

export const FOLLOW_ACTOR: Actor = { name: 'vouch-server follow', role: 'admin' };

export interface FollowFlags {
	follow?: string;
	followBranch?: string;
	followPath?: string;
	followEvery?: string;
}

export function addFollowOptions(command: Command): Command {
	return command
		.option('--follow <url>', 'import the registry from this git repository whenever it changes')
		.option('--follow-branch <name>', 'the branch to follow', 'main')
		.option('--follow-path <path>', 'the registry file in that repository', 'plugins.toml')
		.option('--follow-every <seconds>', 'how often to look for a new commit', '60');
}

/** Starts following when `--follow` was given; the follower logs every outcome to stderr. */
export function startFollowing(
	flags: FollowFlags,
	service: { database: ServiceDb; store: RegistryStore },
	workdir: string,
	io: ServerCliIO,
	clock: () => Date,
): Follower | undefined {
	if (flags.follow === undefined) return undefined;
	const seconds = Number(flags.followEvery ?? '60');
	const every = Number.isFinite(seconds) && seconds >= 5 ? seconds : 60;
	const follower = followRegistryRepository({
		store: service.store,
		database: service.database,
		git: createGit(),
		url: flags.follow,
		ref: flags.followBranch ?? 'main',
		path: flags.followPath ?? 'plugins.toml',
		workdir,
		clock,
		actor: FOLLOW_ACTOR,
		onOutcome: (outcome) =>
			io.stderr.write(`follow: ${sanitizeText(JSON.stringify(outcome), { maxLength: 600 })}\n`),
	});
	follower.start(every * 1000);
	return follower;
}

export function addScanReportsImport(
	flags: DatabaseFlags & { scanReports?: string },
	io: ServerCliIO,
	clock: () => Date,
) {
	if (flags.scanReports === undefined) return undefined;
	// The reports sit in `<registry dir>/scan-reports/<id>/<commit>.json`, as `registry review`
	// writes them; either the registry directory or its scan-reports folder may be named.
	const given = resolve(io.cwd, flags.scanReports);
	const registryDir = basename(given) === 'scan-reports' ? dirname(given) : given;
	return withDatabase(flags, io, clock, ({ database }) =>
		importScanReports(database, registryDir, { clock }),
	);
}

export function registerExportRepo(
	program: Command,
	io: ServerCliIO,
	clock: () => Date,
	withDb: (c: Command) => Command,
) {
	withDb(
		program
			.command('export-repo')
			.description(
				"commit the registry (and its scan reports) to a registry repository's working copy",
			),
	)
		.argument('<workdir>', 'the working copy (cloned there from --push when missing)')
		.option('--push <url>', 'fetch from and push to this remote')
		.option('--branch <name>', 'the branch', 'main')
		.option('--path <path>', 'the registry file in the repository', 'plugins.toml')
		.option('--author-name <name>', 'the commit author', 'Vouch registry service')
		.option('--author-email <email>', "the commit author's address", 'registry@localhost')
		.option('--json', 'print the result as JSON')
		.action(
			async (
				workdir: string,
				options: DatabaseFlags & {
					push?: string;
					branch: string;
					path: string;
					authorName: string;
					authorEmail: string;
					json?: boolean;
				},
			) => {
				await withDatabase(options, io, clock, async ({ database, store }) => {
					const outcome = await exportToRepository({
						store,
						database,
						git: createGit(),
						workdir: resolve(io.cwd, workdir),
						...(options.push === undefined ? {} : { url: options.push }),
						branch: options.branch,
						path: options.path,
						author: { name: options.authorName, email: options.authorEmail },
						clock,
					});
					if (options.json === true) io.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
					else if (outcome.commit === undefined)
						io.stdout.write('Nothing to export: the repository holds this registry already.\n');
					else
						io.stdout.write(
							`Committed ${outcome.commit.slice(0, 12)} (${outcome.changes} change(s), ${outcome.reportsWritten} scan report(s))${outcome.pushed ? ', pushed' : ''}.\n`,
						);
				});
			},
		);
}
