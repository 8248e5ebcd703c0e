/**
 * `vouch init [dir]`: scaffolds a plugin for the profile's host with a fresh UUID and every
 * capability declared false. It writes only into a missing or empty directory, and each file
 * is created exclusively, so it never overwrites anyone's work.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { type Command, Option } from '@commander-js/extra-typings';
import { compareApiVersions, parseApiVersion } from '@vouch/library/internal/core/api-version';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import type { HostProfile } from '@vouch/library/internal/core/profile';
import { generatePluginUuid } from '@vouch/library/internal/core/uuid';
import { parseManifestText } from '@vouch/library/internal/manifest/index';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor } from '../context.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { type PluginTemplateInput, pluginTemplate, type TemplateFile } from './init-template.ts';

export type InitErrorCode = 'INIT_TARGET_NOT_EMPTY' | 'INIT_INVALID_FIELD';

interface InitOptions {
	name?: string;
	author?: string;
	description?: string;
	profile?: string;
	json?: boolean;
}

export function registerInit(program: Command, { io }: CommandContext): void {
	program
		.command('init')
		.description('create a new plugin: MANIFEST.toml with a fresh UUID, entry module, README')
		.argument('[dir]', 'where to create it: a new or empty directory (default: here)')
		.addOption(new Option('--name <name>', 'display name (default: from the directory name)'))
		.addOption(new Option('--author <author>', 'author, such as "Ada Lovelace <ada@example.org>"'))
		.addOption(new Option('--description <text>', 'one-line description'))
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (dirArgument, options: InitOptions) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const dir = resolve(io.cwd, dirArgument ?? '.');
			await assertEmptyTarget(dir, dirArgument);
			const input = templateInput(dir, options, profile);
			const files = pluginTemplate(input);
			assertValidManifest(files);
			await mkdir(dir, { recursive: true });
			// `wx`: a file that appeared since the check is left alone and the run fails.
			for (const file of files) await writeFile(join(dir, file.path), file.content, { flag: 'wx' });
			if (output.json) {
				output.result({
					ok: true,
					dir,
					uuid: input.uuid,
					name: input.name,
					api: input.api,
					language: input.language,
					profile: profile.name,
					files: files.map((file) => ({ path: join(dir, file.path), content: file.content })),
				});
				return;
			}
			output.line(`${output.style.green('✓')} Created plugin ${safe(input.name)} in ${safe(dir)}`);
			output.line(`  UUID: ${input.uuid} (its permanent identity: never change it)`);
			for (const file of files) output.line(`  ${file.path}`);
			output.line('Next: write the code, declare the capabilities it needs, then run');
			output.line(
				`  vouch validate ${safe(dirArgument ?? '.')} && vouch scan ${safe(dirArgument ?? '.')}`,
			);
		});
}

async function assertEmptyTarget(dir: string, named: string | undefined): Promise<void> {
	const info = await stat(dir).catch((error: NodeJS.ErrnoException) => {
		if (error.code === 'ENOENT') return undefined;
		throw error;
	});
	if (info === undefined) return;
	const entries = info.isDirectory() ? await readdir(dir) : ['(a file)'];
	if (entries.length === 0) return;
	throw new VouchError<InitErrorCode>(
		'INIT_TARGET_NOT_EMPTY',
		`${safe(dir)} is not an empty directory; vouch init writes only into a new or empty one.`,
		{
			// Suggesting the very name that was refused would send the user round in a circle.
			hint:
				named === undefined
					? 'Name a new directory, such as: vouch init my-plugin'
					: `Name a directory that does not exist yet, such as: vouch init ${safe(unusedName(named))}`,
			details: { dir },
		},
	);
}

function templateInput(
	dir: string,
	options: InitOptions,
	profile: HostProfile,
): PluginTemplateInput {
	const name = options.name ?? titleFrom(basename(dir));
	const description = options.description ?? `${name}, a plugin for ${profile.name}.`;
	for (const [flag, value] of [
		['--name', name],
		['--description', description],
		['--author', options.author],
	] as const) {
		// A newline or escape would end a TOML line or a docstring early, or reach a terminal.
		if (value !== undefined && hasControlCharacter(value)) {
			throw invalidField(`${flag} contains a line break or control character.`);
		}
	}
	return {
		uuid: generatePluginUuid(),
		name,
		description,
		...(options.author === undefined ? {} : { author: options.author }),
		api: [newestApiVersion(profile.apiVersions)],
		language: profile.pluginLanguage ?? 'python',
		host: profile.name,
	};
}

function hasControlCharacter(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
		// JavaScript ends a line (and so the template's `//` comment) at these two as well.
		if (code === 0x2028 || code === 0x2029) return true;
	}
	return false;
}

/** `my_cool-plugin` → `My Cool Plugin`. */
function titleFrom(directoryName: string): string {
	const words = directoryName.split(/[-_\s.]+/).filter((word) => word.length > 0);
	const title = words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join(' ');
	return title.length > 0 ? title : 'My Plugin';
}

function newestApiVersion(versions: readonly string[]): string {
	const parsed = versions
		.map((text) => ({ text, version: parseApiVersion(text) }))
		.filter((entry) => entry.version !== undefined);
	parsed.sort((a, b) => compareApiVersions(b.version as never, a.version as never));
	return parsed[0]?.text ?? (versions[0] as string);
}

/**
 * The manifest is checked by the same validator as `vouch validate` before anything is written,
 * so a name or description it refuses (too long, blank) is reported here, not discovered later.
 */
function assertValidManifest(files: readonly TemplateFile[]): void {
	const manifest = files.find((file) => file.path === 'MANIFEST.toml') as TemplateFile;
	const result = parseManifestText(manifest.content, 'MANIFEST.toml');
	if (result.errors.length === 0) return;
	throw invalidField(result.errors.map((issue) => issue.message).join(' '));
}

function invalidField(message: string): VouchError<InitErrorCode> {
	return new VouchError<InitErrorCode>('INIT_INVALID_FIELD', message, {
		hint: 'Give --name (up to 100 characters) and --description (one line, up to 200) as plain text.',
		exitCode: ExitCode.usage,
	});
}

/** `my-plugin` → `my-plugin-2` (`.` → `my-plugin`): a suggestion that is not the name just refused. */
function unusedName(named: string): string {
	const trimmed = named.replace(/[/\\]+$/, '');
	return trimmed === '' || trimmed === '.' ? 'my-plugin' : `${trimmed}-2`;
}
