/**
 * `vouch registry keys init | publish | sign | root propose`: the maintainer's side of the
 * signed registry (D19). Private keys are written 0600 and never printed; the output names key
 * ids and files only.
 */
import { dirname, resolve } from 'node:path';
import { type Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { readFileBounded } from '@vouch/library/internal/core/atomic-fs';
import { MAX_REGISTRY_BYTES } from '@vouch/library/internal/registry/parse';
import {
	initKeys,
	proposeRoot,
	publishRepository,
	signRoot,
	type TufExpiries,
} from '@vouch/library/internal/tuf/index';
import { jsonOption } from '../common-options.ts';
import type { KeysInitJson, PublishJson, RootStatusJson } from '../json/registry-signing.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';

function positiveInteger(value: string): number {
	const number = Number(value);
	if (!Number.isInteger(number) || number <= 0)
		throw new InvalidArgumentError('expected a whole number of days or keys');
	return number;
}

export function registerRegistrySigning(registry: Command, { io }: CommandContext): void {
	registry
		.command('keys')
		.description('signing keys for a TUF registry repository')
		.command('init')
		.description('create Ed25519 keys for root (threshold), targets, snapshot and timestamp')
		.requiredOption('--dir <dir>', 'where the keys are written (mode 0700, keys 0600)')
		.option('--root-keys <n>', 'how many root keys', positiveInteger, 3)
		.option('--root-threshold <n>', 'root signatures needed', positiveInteger, 2)
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const result = await initKeys({
				dir: resolve(io.cwd, options.dir),
				rootKeys: options.rootKeys,
				rootThreshold: options.rootThreshold,
			});
			if (output.json) {
				output.result({
					ok: true,
					dir: result.dir,
					keysFile: result.keysFile,
					roles: result.roles,
					keys: result.keys,
				} satisfies KeysInitJson);
				return;
			}
			output.line(
				`${output.style.green('✓')} Keys written to ${safe(result.dir)} (private keys mode 0600, never printed)`,
			);
			output.line(`  public key list: ${safe(result.keysFile)}`);
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
				registryText: (await readFileBounded(path, MAX_REGISTRY_BYTES)).toString('utf8'),
				label: path,
				keysDir: resolve(io.cwd, options.keys),
				outDir: resolve(io.cwd, options.out),
				scanReportsDir: resolve(io.cwd, options.reportsDir ?? dirname(path)),
				expiries,
				now: io.now(),
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
