/**
 * `vouch registry keys init | publish | sign | root propose`: the maintainer's side of the
 * signed registry (D19). Private keys are written 0600 and never printed; the output names key
 * ids and files only.
 */
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { journalPathFor } from '@vouch/library/internal/registry/edit/journal';
import {
	initKeys,
	proposeRoot,
	publishRepository,
	signRoot,
	type TufExpiries,
} from '@vouch/library/internal/tuf/index';
import {
	createLogKey,
	defaultLogOrigin,
	rotateLogKey,
} from '@vouch/library/internal/tuf/repository/log-keys';
import { jsonOption } from '../common-options.ts';
import type {
	KeysInitJson,
	LogKeyJson,
	PublishJson,
	RootStatusJson,
} from '../json/registry-signing.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';

function positiveInteger(value: string): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number <= 0)
		throw new InvalidArgumentError('expected a whole number of days or keys');
	return number;
}

export function registerRegistrySigning(registry: Command, { io }: CommandContext): void {
	const keys = registry.command('keys').description('signing keys for a TUF registry repository');
	keys
		.command('init')
		.description('create Ed25519 keys for root (threshold), targets, snapshot and timestamp')
		.requiredOption('--dir <dir>', 'where the keys are written (mode 0700, keys 0600)')
		.option('--root-keys <n>', 'how many root keys', positiveInteger, 3)
		.option('--root-threshold <n>', 'root signatures needed', positiveInteger, 2)
		.option(
			'--log-origin <name>',
			'the transparency log name its checkpoints carry (default: a new unique name)',
		)
		.option(
			'--log-key-from <dir>',
			'take the log key of an existing keys directory over (a new key set for the same log)',
		)
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const result = await initKeys({
				dir: resolve(io.cwd, options.dir),
				rootKeys: options.rootKeys,
				rootThreshold: options.rootThreshold,
				...(options.logOrigin === undefined ? {} : { logOrigin: options.logOrigin }),
				...(options.logKeyFrom === undefined
					? {}
					: { logKeyFrom: resolve(io.cwd, options.logKeyFrom) }),
			});
			if (output.json) {
				output.result({
					ok: true,
					dir: result.dir,
					keysFile: result.keysFile,
					roles: result.roles,
					keys: result.keys,
					log: result.log,
				} satisfies KeysInitJson);
				return;
			}
			output.line(
				`${output.style.green('✓')} Keys written to ${safe(result.dir)} (private keys mode 0600, never printed)`,
			);
			output.line(`  public key list: ${safe(result.keysFile)}`);
			output.line(`  transparency log: ${safe(result.log.origin)}`);
		});

	keys
		.command('log-key')
		.description(
			'create the transparency log key in a keys directory, or --rotate it (published as a TUF target)',
		)
		.requiredOption('--dir <dir>', 'the keys directory')
		.option('--origin <name>', 'the log name, for a new key (default: a new unique name)')
		.option('--rotate', 'replace the current log key; the old one is kept as log.key.<id>.retired')
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const dir = resolve(io.cwd, options.dir);
			const rotated = options.rotate === true;
			const files = rotated
				? await rotateLogKey(dir)
				: await createLogKey(dir, options.origin ?? defaultLogOrigin());
			const result = {
				origin: files.origin,
				verifierKey: files.verifierKey,
				file: files.signerFile,
			};
			if (output.json) {
				output.result({ ok: true, ...result, rotated } satisfies LogKeyJson);
				return;
			}
			output.line(
				`${output.style.green('✓')} ${rotated ? 'Rotated' : 'Created'} the log key of ${safe(result.origin)} (mode 0600, never printed)`,
			);
			output.line(`  verifier key: ${safe(result.verifierKey)}`);
			output.line('  the next `vouch registry publish` ships it to clients as a TUF target');
		});

	registry
		.command('publish')
		.description('sign a registry into a TUF repository directory any static server can serve')
		.argument('<registry>', 'plugins.toml or registry JSON')
		.requiredOption('--keys <dir>', 'the keys directory')
		.requiredOption('--out <dir>', 'the repository directory (created or updated)')
		.option('--expires-timestamp <days>', 'timestamp expiry', positiveInteger)
		.option('--expires-snapshot <days>', 'snapshot expiry', positiveInteger)
		.option('--expires-targets <days>', 'targets expiry', positiveInteger)
		.option('--expires-root <days>', 'root expiry', positiveInteger)
		.option(
			'--reports-dir <dir>',
			'the directory holding scan-reports/ from `registry review` (default: beside the registry)',
		)
		.option(
			'--reason <text>',
			'why the registry changed, for a change no editing command recorded (it goes into the log)',
		)
		.option('--report <url>', 'the https link of the report behind that change')
		.option('--actor <keyid>', "the actor's key id in the log (default: the targets key)")
		.addOption(jsonOption())
		.action(async (file, options) => {
			const output = createOutput(io, options.json === true);
			const path = resolve(io.cwd, file);
			const expiries: TufExpiries = {
				...(options.expiresTimestamp === undefined ? {} : { timestamp: options.expiresTimestamp }),
				...(options.expiresSnapshot === undefined ? {} : { snapshot: options.expiresSnapshot }),
				...(options.expiresTargets === undefined ? {} : { targets: options.expiresTargets }),
				...(options.expiresRoot === undefined ? {} : { root: options.expiresRoot }),
			};
			const result = await publishRepository({
				registryText: await readRegistryFile(path, { cwd: io.cwd }),
				label: path,
				keysDir: resolve(io.cwd, options.keys),
				outDir: resolve(io.cwd, options.out),
				scanReportsDir: resolve(io.cwd, options.reportsDir ?? dirname(path)),
				expiries,
				now: io.now(),
				journalPath: journalPathFor(path),
				...(options.reason === undefined ? {} : { reason: options.reason }),
				...(options.report === undefined ? {} : { report: options.report }),
				...(options.actor === undefined ? {} : { actor: options.actor }),
			});
			for (const warning of result.warnings) output.note(`warning: ${safe(warning)}`);
			if (output.json) {
				output.result({ ok: true, ...result } satisfies PublishJson);
				return;
			}
			output.line(`${output.style.green('✓')} Published ${safe(result.outDir)}`);
			output.line(`  versions: ${safe(JSON.stringify(result.versions))}`);
			output.line(
				`  registry ${result.targets.registry.sha256.slice(0, 12)}, blacklist ${result.targets.blacklist.sha256.slice(0, 12)}`,
			);
			if (result.scanReports.length > 0) {
				output.line(`  ${result.scanReports.length} scan report(s)`);
			}
			output.line(
				`  log ${safe(result.log.origin)}: ${result.log.entriesAdded} entries added, ${result.log.size} in all`,
			);
		});

	registry
		.command('sign')
		.description(
			"add one root key holder's signature to the pending root (offline threshold signing)",
		)
		.requiredOption(
			'--repo <dir>',
			'the repository directory (or a copy with metadata/root.json and the pending root)',
		)
		.requiredOption('--key <file>', 'your root private key')
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const status = await signRoot({
				repoDir: resolve(io.cwd, options.repo),
				keyFile: resolve(io.cwd, options.key),
			});
			if (output.json) output.result({ ok: true, ...status } satisfies RootStatusJson);
			else
				output.line(
					`root ${status.version}: ${status.complete ? 'fully signed; the next publish promotes it' : 'more signatures needed'}`,
				);
		});

	registry
		.command('root')
		.description('root key rotation')
		.command('propose')
		.description(
			'write a new root (version N+1) for the key set in --keys, to be signed by old and new root keys',
		)
		.requiredOption('--repo <dir>', 'the repository directory')
		.requiredOption('--keys <dir>', 'the key set the new root lists')
		.option('--replace', 'discard a pending root that is still collecting signatures')
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const status = await proposeRoot({
				repoDir: resolve(io.cwd, options.repo),
				keysDir: resolve(io.cwd, options.keys),
				now: io.now(),
				...(options.replace === true ? { replace: true } : {}),
			});
			if (output.json) output.result({ ok: true, ...status } satisfies RootStatusJson);
			else
				output.line(
					`root ${status.version} proposed at ${safe(status.pendingFile)}; sign it with \`vouch registry sign\``,
				);
		});
}
