/**
 * `vouch registry pin <id> <ref>`: a reviewed-release pin (D19b) computed from a real clone of
 * the plugin. Printed always; with `--write`, added to the registry source file given with
 * `--registry`, whose layout and comments are kept, and recorded in the change journal like
 * every other registry edit, so that the next publish logs it (D28) instead of refusing an
 * unexplained change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Command, Option } from '@commander-js/extra-typings';
import { writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { computeReleasePin } from '@vouch/library/internal/lifecycle/pin-release';
import { digestTree } from '@vouch/library/internal/lifecycle/store/index';
import { sniffRegistryFormat } from '@vouch/library/internal/registry/decode';
import { sha256Hex } from '@vouch/library/internal/registry/edit/apply';
import { type RegistryChange, registryChange } from '@vouch/library/internal/registry/edit/change';
import {
	appendJournal,
	checkChangeRecord,
	journalPathFor,
} from '@vouch/library/internal/registry/edit/journal';
import { registryError } from '@vouch/library/internal/registry/errors';
import { buildRegistryIndex } from '@vouch/library/internal/registry/index';
import { formatFromPath } from '@vouch/library/internal/registry/load';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { addPinToRegistry } from '@vouch/library/internal/registry/pin-edit';
import { formatIsoUtcTimestamp } from '@vouch/library/internal/registry/timestamps';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import { loadRegistry, profileFor, urlContextFor } from '../context.ts';
import type { RegistryPinJson } from '../json/registry-pin.ts';
import { gitFor } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { createProgress } from '../progress.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';
import {
	actorOf,
	actorOption,
	keyOption,
	reasonOption,
	reportOption,
} from './registry-edit-session.ts';

export function registerRegistryPin(registry: Command, { io }: CommandContext): void {
	registry
		.command('pin')
		.description('compute a reviewed-release pin {ref, commit, tree} from a real clone')
		.argument('<id>', 'the plugin id in the registry')
		.argument('<ref>', 'the release to pin: a tag (a branch moves, so it makes a poor pin)')
		.addOption(registryOption())
		.addOption(
			new Option('--write', 'add the pin to the --registry file (TOML layout and comments kept)'),
		)
		.addOption(reasonOption())
		.addOption(reportOption())
		.addOption(actorOption())
		.addOption(keyOption())
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (id, ref, options) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const file = localRegistryFile(options.registry, io.cwd);
			if (options.write === true && file === undefined) {
				throw new VouchError(
					'USAGE',
					'--write needs --registry <file>: the registry source to edit.',
					{
						exitCode: ExitCode.usage,
					},
				);
			}
			let text: string | undefined;
			let gitUrl: string;
			if (file !== undefined) {
				text = await readRegistryFile(file, { cwd: io.cwd });
				const urlContext = urlContextFor(profile, io);
				const index = buildRegistryIndex(
					parseRegistryText(text, { label: file, ...urlContext }),
					urlContext,
				);
				gitUrl = requirePlugin(index.byId(id)?.gitUrl, id, file);
			} else {
				const loaded = await loadRegistry(options, profile, io, output);
				gitUrl = requirePlugin(loaded.index.byId(id)?.gitUrl, id, loaded.source);
			}
			const progress = createProgress(io, !output.json);
			progress.start(`Cloning ${safe(gitUrl)} at ${safe(ref)}`);
			let pin: Awaited<ReturnType<typeof computeReleasePin>>;
			try {
				pin = await computeReleasePin(
					{ url: gitUrl, ref },
					{
						git: gitFor(io, false),
						digest: (dir) => digestTree(dir),
						makeTempDir: () => mkdtemp(join(tmpdir(), 'vouch-pin-')),
						removeDir: (path) => rm(path, { recursive: true, force: true }),
					},
				);
			} finally {
				progress.stop();
			}
			const { refType, ...release } = pin;
			let written = false;
			let change: RegistryChange | null = null;
			if (options.write === true && file !== undefined && text !== undefined) {
				const format = formatFromPath(file) ?? sniffRegistryFormat(text);
				const edit = addPinToRegistry(text, format, id, release, file);
				if (edit.changed) {
					const actor = await actorOf(options, io);
					change = registryChange(
						{
							action: 'plugin.pin',
							subject: id,
							at: formatIsoUtcTimestamp(io.now()),
							fields: [{ field: 'releases', from: null, to: release }],
							// The pin says what was reviewed; a maintainer may say more.
							reason: options.reason ?? `Reviewed release ${ref} pinned.`,
							...(actor === undefined ? {} : { actor }),
							...(options.report === undefined ? {} : { report: options.report }),
						},
						sha256Hex(text),
						sha256Hex(edit.text),
					);
					checkChangeRecord(change);
					await writeFileAtomic(file, edit.text);
					// After the file, as every edit does (`writePlan`): a crash in between leaves a
					// change with no record, which the publish refuses until given a reason.
					await appendJournal(journalPathFor(file), change);
				}
				written = edit.changed;
			}
			if (output.json) {
				output.result({
					ok: true,
					id,
					pin: release,
					refType,
					written,
					file: file ?? null,
					...(options.write === true ? { change } : {}),
				} satisfies RegistryPinJson);
				return;
			}
			if (refType !== 'tag') {
				output.note(
					`warning: ${safe(ref)} is a ${refType}, not a tag: installs follow the name, so this pin stops matching when it moves.`,
				);
			}
			output.line(`${output.style.green('✓')} ${safe(id)} ${safe(ref)}`);
			output.line(`  commit ${release.commit}`);
			output.line(`  tree   ${release.tree}`);
			if (written) output.line(`  added to ${safe(file ?? '')}`);
			else if (options.write === true) output.line(`  already pinned in ${safe(file ?? '')}`);
			else {
				output.line(output.style.dim('  add to the plugin entry (or rerun with --write):'));
				output.line(
					`  [[plugins.releases]]\n  ref = ${JSON.stringify(release.ref)}\n  commit = "${release.commit}"\n  tree = "${release.tree}"`,
				);
			}
		});
}

/** `--registry` naming a local file; URLs are read through the loader, never edited. */
function localRegistryFile(location: string | undefined, cwd: string): string | undefined {
	if (location === undefined || /^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return undefined;
	return resolve(cwd, location);
}

function requirePlugin(gitUrl: string | undefined, id: string, where: string): string {
	if (gitUrl === undefined) {
		throw registryError(
			'PLUGIN_NOT_IN_REGISTRY',
			`${safe(where)} has no plugin with the id ${safe(id)}.`,
			{ hint: 'Check the id with `vouch search` or in the registry file.' },
		);
	}
	return gitUrl;
}
