/**
 * `vouch registry plugin add | update | edit | redirect | list | show | remove`: Picard's
 * registry tool's plugin commands, with the same flags and meaning, on a registry file whose
 * comments and layout are kept. Trust and URL changes need `--reason` and record who made them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Command, Option } from '@commander-js/extra-typings';
import { readManifestsAtRefs } from '@vouch/library/internal/lifecycle/registry-manifests';
import { findPlugin } from '@vouch/library/internal/registry/edit/plan';
import {
	checkTrustLevel,
	parseList,
	parseRefsSpec,
} from '@vouch/library/internal/registry/edit/plugin-entry';
import {
	planPluginAdd,
	planPluginEdit,
	planPluginRemove,
	planPluginUpdate,
} from '@vouch/library/internal/registry/edit/plugin-plans';
import {
	listRedirects,
	planRedirectAdd,
	planRedirectRemove,
} from '@vouch/library/internal/registry/edit/redirect-plans';
import { refsOf } from '@vouch/library/internal/registry/edit/ref-plans';
import { checkRegistryUrl } from '@vouch/library/internal/registry/edit/url-rules';
import type { RegistryTrustLevel } from '@vouch/library/internal/registry/model';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor } from '../context.ts';
import type { CliIO } from '../io.ts';
import type { RegistryRedirectJson } from '../json/registry-edit.ts';
import { gitFor } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { createProgress } from '../progress.ts';
import { safe } from '../style.ts';
import {
	actorOption,
	keyOption,
	openRegistryFile,
	reasonOption,
	registryFileOption,
	reportOption,
	runEdit,
	yesOption,
} from './registry-edit-session.ts';
import { registerRegistryPluginViews } from './registry-plugin-view.ts';

const trustOption = () =>
	new Option('--trust <level>', 'official, trusted or community').argParser(checkTrustLevel);
const categoriesOption = () =>
	new Option('--categories <list>', 'comma-separated categories').argParser(parseList);
const schemeOption = () =>
	new Option('--versioning-scheme <scheme>', 'semver, calver or regex:<pattern> (RE2)');

/** Adds the options every edit shares. */
function editCommand(parent: Command, name: string, description: string) {
	return parent
		.command(name)
		.description(description)
		.addOption(registryFileOption())
		.addOption(actorOption())
		.addOption(keyOption())
		.addOption(yesOption())
		.addOption(profileOption())
		.addOption(jsonOption());
}

async function manifestsFor(
	url: string,
	refs: readonly string[],
	io: CliIO,
	json: boolean,
	categories: readonly string[],
) {
	const progress = createProgress(io, !json);
	progress.start(`Reading MANIFEST.toml of ${safe(url)}`);
	try {
		return await readManifestsAtRefs(
			{ url, refs },
			{
				git: gitFor(io, false),
				makeTempDir: () => mkdtemp(join(tmpdir(), 'vouch-registry-')),
				removeDir: (path) => rm(path, { recursive: true, force: true }),
				categories,
			},
		);
	} finally {
		progress.stop();
	}
}

export function registerRegistryPlugin(registry: Command, { io }: CommandContext): void {
	const plugin = registry
		.command('plugin')
		.description('add, update, edit, redirect, list, show or remove registry plugins');

	editCommand(plugin, 'add', 'add a plugin: clones it and reads MANIFEST.toml at every ref')
		.argument('<url>', 'the plugin repository (any git host)')
		.option('--id <id>', "the registry id (default: derived from the repository's name)")
		.addOption(trustOption().default('community' as RegistryTrustLevel))
		.addOption(categoriesOption())
		.addOption(new Option('--refs <spec>', "refs with API bounds: 'main:4.0,picard-v3:3.0-3.99'"))
		.addOption(schemeOption())
		.addOption(reasonOption())
		.addOption(reportOption())
		.action(async (url, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const refs = options.refs === undefined ? [] : parseRefsSpec(options.refs);
			// D11 before any network traffic: a URL the registry may not list is not even cloned.
			checkRegistryUrl(session.context, url);
			const profile = profileFor(options, io);
			const read = await manifestsFor(
				url,
				refs.map((ref) => ref.name),
				io,
				output.json,
				profile.categories,
			);
			const plan = planPluginAdd(session.context, {
				gitUrl: url,
				...(options.id === undefined ? {} : { id: options.id }),
				manifests: read.map((at) => at.manifest),
				trust: options.trust,
				refs: refs.length > 0 ? refs : read.map((at) => ({ name: at.ref })),
				...(options.categories === undefined ? {} : { categories: options.categories }),
				...(options.versioningScheme === undefined
					? {}
					: { versioningScheme: options.versioningScheme }),
				...(options.reason === undefined ? {} : { reason: options.reason }),
				...(options.report === undefined ? {} : { report: options.report }),
			});
			await runEdit(session, plan, options, io, output);
		});

	editCommand(
		plugin,
		'update',
		"refresh name, description, authors and translations from the plugin's MANIFEST.toml",
	)
		.argument('<id>', 'the plugin id')
		.option('--ref <ref>', 'the ref to read (default: the first ref, or main)')
		.action(async (id, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const { entry } = findPlugin(session.context, id);
			const ref = options.ref ?? refsOf(entry)[0]?.name ?? 'main';
			const profile = profileFor(options, io);
			const [read] = await manifestsFor(
				String(entry.git_url),
				[ref],
				io,
				output.json,
				profile.categories,
			);
			if (read === undefined) return;
			await runEdit(
				session,
				planPluginUpdate(session.context, id, read.manifest),
				options,
				io,
				output,
			);
		});

	editCommand(plugin, 'edit', 'change trust, categories, git URL or versioning scheme')
		.argument('<id>', 'the plugin id')
		.addOption(trustOption())
		.addOption(categoriesOption())
		.option('--git-url <url>', 'a new repository URL (needs --reason)')
		.addOption(schemeOption().argParser((value) => value))
		.addOption(reasonOption())
		.addOption(reportOption())
		.action(async (id, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const plan = planPluginEdit(session.context, id, {
				...(options.trust === undefined ? {} : { trust: options.trust }),
				...(options.categories === undefined ? {} : { categories: options.categories }),
				...(options.gitUrl === undefined ? {} : { gitUrl: options.gitUrl }),
				...(options.versioningScheme === undefined
					? {}
					: { versioningScheme: options.versioningScheme }),
				...(options.reason === undefined ? {} : { reason: options.reason }),
				...(options.report === undefined ? {} : { report: options.report }),
			});
			await runEdit(session, plan, options, io, output);
		});

	editCommand(
		plugin,
		'redirect',
		"add, remove (--remove) or list (--list) a plugin's old URLs (redirect_from)",
	)
		.argument('<id>', 'the plugin id')
		.argument('[old-url]', 'the URL the plugin used to live at')
		.option('--list', 'print the old URLs')
		.option('--remove', 'remove the old URL')
		.addOption(reasonOption())
		.addOption(reportOption())
		.action(async (id, oldUrl, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const finish = (document: Omit<RegistryRedirectJson, 'redirects'>, redirects: string[]) => {
				if (output.json) output.result({ ...document, redirects } satisfies RegistryRedirectJson);
			};
			if (options.list === true || oldUrl === undefined) {
				const redirects = listRedirects(session.context, id);
				finish(
					{ ok: true, file: session.path, changed: false, change: null, notes: [] },
					redirects,
				);
				if (!output.json) {
					if (redirects.length === 0) output.line(`${safe(id)} has no old URLs.`);
					for (const url of redirects) output.line(safe(url));
				}
				return;
			}
			const extra = {
				...(options.reason === undefined ? {} : { reason: options.reason }),
				...(options.report === undefined ? {} : { report: options.report }),
			};
			const plan =
				options.remove === true
					? planRedirectRemove(session.context, id, oldUrl, extra)
					: planRedirectAdd(session.context, id, oldUrl, extra);
			let document: Omit<RegistryRedirectJson, 'redirects'> | undefined;
			const edit = await runEdit(session, plan, options, io, output, (json) => {
				document = json;
			});
			if (document !== undefined) {
				const redirects =
					edit?.registry.plugins.find((p) => p.id === id)?.redirectFrom ??
					listRedirects(session.context, id);
				finish(document, redirects);
			}
		});

	editCommand(plugin, 'remove', 'remove a plugin from the registry (asks first)')
		.argument('<id>', 'the plugin id')
		.addOption(reasonOption())
		.action(async (id, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			await runEdit(
				session,
				planPluginRemove(session.context, id, options.reason),
				options,
				io,
				output,
			);
		});

	registerRegistryPluginViews(plugin, io);
}
