/**
 * The `vouch-server` command tree: `serve`, `import`, `export`, `account add`, `token create`
 * and `token revoke`. Every command opens the database itself, does one thing and closes it.
 */
import { resolve } from 'node:path';
import { readFileBounded, writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { Command, Option } from 'commander';
import { isRole } from '../admin/accounts.ts';
import { serverError } from '../errors.ts';
import type { ServiceOptions } from '../service.ts';
import { SERVER_VERSION } from '../version.ts';
import { type DatabaseFlags, databaseOptions } from './database-options.ts';
import type { ServerCliIO } from './io.ts';
import { addServeOptions, serve } from './serve-command.ts';
import { addFollowOptions, addScanReportsImport, registerExportRepo } from './sync-commands.ts';
import { withDatabase } from './with-database.ts';

const MAX_IMPORT_BYTES = 16 * 1024 * 1024;
const SYSTEM_ACTOR = { name: 'vouch-server', role: 'admin' } as const;

export interface ProgramContext {
	io: ServerCliIO;
	clock: () => Date;
	/** Extra `startService` options (the publisher factory, the web pages) the entry point supplies. */
	serviceOptions?: Partial<ServiceOptions>;
	/**
	 * Whether `serve --workers` may fork this process's own entry point: only the executable
	 * itself (a test or an embedding program running the CLI in-process would fork itself).
	 */
	forkWorkers?: boolean;
}

function json(io: ServerCliIO, value: unknown): void {
	io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function withDb(command: Command): Command {
	for (const option of databaseOptions()) command.addOption(option);
	return command;
}

export function createProgram({
	io,
	clock,
	serviceOptions = {},
	forkWorkers = false,
}: ProgramContext): Command {
	const program = new Command('vouch-server')
		.description('The Vouch registry service: API, Picard files, signed TUF repository, web pages.')
		.version(SERVER_VERSION, '-V, --version')
		.exitOverride()
		.configureOutput({
			writeOut: (text) => io.stdout.write(text),
			writeErr: (text) => io.stderr.write(text),
		});

	addServeOptions(
		addFollowOptions(withDb(program.command('serve').description('serve the registry over HTTP'))),
	).action((options: DatabaseFlags & Record<string, string | boolean | undefined>) =>
		serve(options, { io, clock, serviceOptions, ...(forkWorkers ? { forkWorkers } : {}) }),
	);

	withDb(
		program
			.command('import')
			.description('replace the registry with a plugins.toml (or - for stdin)'),
	)
		.argument('<file>', 'the registry file')
		.requiredOption('--reason <text>', 'why, for the change log')
		.option(
			'--scan-reports <dir>',
			'also load the scan reports of this registry directory (its scan-reports/ folder)',
		)
		.option('--json', 'print the result as JSON')
		.action(
			async (
				file: string,
				options: DatabaseFlags & { reason: string; scanReports?: string; json?: boolean },
			) => {
				const text =
					file === '-'
						? await io.readStdin()
						: (await readFileBounded(resolve(io.cwd, file), MAX_IMPORT_BYTES)).toString('utf8');
				await withDatabase(options, io, clock, async ({ store }) => {
					const result = await store.importText(text, SYSTEM_ACTOR, options.reason);
					const summary = {
						changed: result.stored !== undefined,
						revision: result.document.revision,
						sha256: result.document.sha256,
					};
					if (options.json === true) json(io, summary);
					else
						io.stdout.write(
							summary.changed
								? `Imported: revision ${summary.revision}.\n`
								: `Unchanged: the registry is already this text (revision ${summary.revision}).\n`,
						);
				});
				const reports = await addScanReportsImport(options, io, clock);
				if (reports !== undefined && options.json !== true)
					io.stdout.write(`Scan reports: ${JSON.stringify(reports)}\n`);
			},
		);

	withDb(program.command('export').description('write the registry document to a file, or stdout'))
		.argument('[file]', 'where to write it (atomically); stdout without it')
		.action(async (file: string | undefined, options: DatabaseFlags) => {
			await withDatabase(options, io, clock, async ({ store }) => {
				const document = await store.document();
				if (document === undefined) {
					throw serverError('NOT_FOUND', 'The service holds no registry yet.', {
						hint: 'Import one first: vouch-server import plugins.toml --reason "…".',
					});
				}
				if (file === undefined) io.stdout.write(document.text);
				else await writeFileAtomic(resolve(io.cwd, file), document.text);
			});
		});

	const account = program.command('account').description('service accounts');
	withDb(account.command('add').description('add an account'))
		.argument('<name>', 'lower-case letters, digits, . _ -')
		.addOption(
			new Option('--role <role>', 'reporter (trusted reports only), maintainer or admin')
				.choices(['reporter', 'maintainer', 'admin'])
				.makeOptionMandatory(),
		)
		.option('--password-stdin', 'read a sign-in password (12+ characters) from stdin')
		.option('--json', 'print the result as JSON')
		.action(
			async (
				name: string,
				options: DatabaseFlags & { role: string; passwordStdin?: boolean; json?: boolean },
			) => {
				if (!isRole(options.role))
					throw serverError('BAD_REQUEST', 'The role is reporter, maintainer or admin.');
				const role = options.role;
				const password =
					options.passwordStdin === true ? (await io.readStdin()).replace(/\r?\n$/, '') : undefined;
				await withDatabase(options, io, clock, async ({ accounts }) => {
					const created = await accounts.create(name, role, password);
					if (options.json === true) json(io, { name: created.name, role: created.role });
					else io.stdout.write(`Added ${created.name} (${created.role}).\n`);
				});
			},
		);

	const token = program.command('token').description('API tokens');
	withDb(token.command('create').description('create an API token (printed once)'))
		.argument('<account>', 'the account it acts as')
		.option('--label <text>', 'what it is for', '')
		.option('--days <n>', 'expires after this many days')
		.option('--json', 'print the result as JSON')
		.action(
			async (
				name: string,
				options: DatabaseFlags & { label: string; days?: string; json?: boolean },
			) => {
				const days = options.days === undefined ? undefined : Number(options.days);
				if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) {
					throw serverError('BAD_REQUEST', '--days is a whole number from 1 to 3650.');
				}
				await withDatabase(options, io, clock, async ({ accounts }) => {
					const found = await accounts.byName(name);
					if (found === undefined) {
						throw serverError('NOT_FOUND', `There is no account ${sanitizeText(name)}.`, {
							hint: 'Add it with `vouch-server account add <name> --role maintainer`.',
						});
					}
					const issued = await accounts.issueToken(found, options.label, days);
					if (options.json === true) json(io, { account: found.name, token: issued });
					else io.stdout.write(`${issued}\n`);
				});
			},
		);

	withDb(token.command('revoke').description('revoke an API token'))
		.argument('<token>', 'the token, or - to read it from stdin')
		.action(async (value: string, options: DatabaseFlags) => {
			const tokenText = value === '-' ? (await io.readStdin()).trim() : value;
			await withDatabase(options, io, clock, async ({ accounts }) => {
				if (!(await accounts.revokeToken(tokenText))) {
					throw serverError('NOT_FOUND', 'No such token.', { hint: 'Check the token you pasted.' });
				}
				io.stdout.write('Revoked.\n');
			});
		});

	registerExportRepo(program, io, clock, withDb);

	return program;
}
