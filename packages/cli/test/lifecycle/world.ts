/**
 * A whole world for lifecycle tests: a temp home with XDG directories, a git smart-HTTP server
 * on 127.0.0.1 serving plugin repositories, a registry file that points at them, and `vouch`
 * run in-process against all of it. Nothing touches the real home or the network.
 */
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type HostProfile, resolveProfile } from '@vouch/library/internal/core/profile';
import { openStore } from '@vouch/library/internal/lifecycle/store/index';
import {
	type GitHttpServer,
	type GitHttpServerOptions,
	startGitHttpServer,
} from '../../../library/test/helpers/git-http-server.ts';
import {
	bareClone,
	createPluginRepo,
	manifestToml,
	type TestRepo,
} from '../../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { type CliRun, type CliRunOptions, runVouch } from '../helpers/cli.ts';

export interface PluginSpec {
	name: string;
	uuid: string;
	/** Extra MANIFEST.toml lines. */
	manifestExtra?: string;
	api?: string[];
	files?: Record<string, string>;
}

export interface ServedPlugin {
	repo: TestRepo;
	/** The bare repository the server serves. */
	bare: string;
	url: string;
}

export interface World {
	root: string;
	env: NodeJS.ProcessEnv;
	profile: HostProfile;
	server: GitHttpServer;
	registryFile: string;
	serve(spec: PluginSpec, path?: string): ServedPlugin;
	/** Pushes the working repo's new commits and tags to the served bare copy. */
	publish(plugin: ServedPlugin): void;
	writeRegistry(plugins: unknown[], blacklist?: unknown[]): void;
	vouch(args: string[], options?: CliRunOptions): Promise<CliRun>;
	state(): ReturnType<ReturnType<typeof openStore>['read']>;
	/** Entries of the plugins directory, leftovers included. */
	pluginDirs(): string[];
	close(): Promise<void>;
}

export interface WorldOptions {
	/** Redirects the git server answers with (D27 tests). */
	redirect?: GitHttpServerOptions['redirect'];
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
	const root = makeTempDir('vouch-world-');
	const served = join(root, 'served');
	const server = await startGitHttpServer({
		root: served,
		...(options.redirect === undefined ? {} : { redirect: options.redirect }),
	});
	const world = worldAt(root, server, served, () => server.close());
	world.writeRegistry([]);
	return world;
}

/**
 * A world of its own on `template`'s server: a copy of its home, profile and registry file in
 * a new root, for a file whose tests each start from one state built once (a plugin installed,
 * a newer commit published) instead of building it again. The copy shares the served
 * repositories, so it suits tests that only read them; closing it leaves the server to the
 * template.
 */
export function copyWorld(template: World): World {
	const root = makeTempDir('vouch-world-');
	const served = servedDirs.get(template) ?? join(template.root, 'served');
	for (const name of readdirSync(template.root)) {
		if (name === 'served') continue;
		cpSync(join(template.root, name), join(root, name), {
			recursive: true,
			preserveTimestamps: true,
			verbatimSymlinks: true,
		});
	}
	return worldAt(root, template.server, served, async () => undefined);
}

/** Where each world's served repositories are (a copy's are its template's). */
const servedDirs = new WeakMap<World, string>();

function worldAt(
	root: string,
	server: GitHttpServer,
	served: string,
	close: () => Promise<void>,
): World {
	const env: NodeJS.ProcessEnv = {
		HOME: join(root, 'home'),
		XDG_DATA_HOME: join(root, 'data'),
		XDG_CACHE_HOME: join(root, 'cache'),
		XDG_CONFIG_HOME: join(root, 'config'),
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
		PATH: process.env.PATH ?? '/usr/bin:/bin',
	};
	const registryFile = join(root, 'plugins.json');
	const profile = resolveProfile({ env, cwd: root, home: env.HOME as string });
	const world: World = {
		root,
		env,
		profile,
		server,
		registryFile,
		serve(spec, path = `${spec.name}.git`) {
			const repo = createPluginRepo({
				manifest: manifestToml(
					{ uuid: spec.uuid, name: spec.name, ...(spec.api ? { api: spec.api } : {}) },
					spec.manifestExtra ?? '',
				),
				files: spec.files ?? {},
			});
			const bare = bareClone(repo, served, path);
			return { repo, bare, url: `${server.url}/${path}` };
		},
		publish(plugin) {
			plugin.repo.git(['push', '-q', '--force', '--tags', plugin.bare, 'HEAD:refs/heads/main']);
		},
		writeRegistry(plugins, blacklist = []) {
			writeFileSync(registryFile, JSON.stringify({ api_version: '3.0', plugins, blacklist }));
		},
		vouch(args, options = {}) {
			return runVouch(args, { cwd: root, ...options, env: { ...env, ...options.env } });
		},
		state: () => openStore({ dataDir: profile.dataDir }).read(),
		pluginDirs() {
			try {
				return readdirSync(profile.pluginsDir).sort();
			} catch {
				return [];
			}
		},
		close,
	};
	servedDirs.set(world, served);
	return world;
}

/** A registry entry in the file format for a served plugin. */
export function registryEntry(
	plugin: ServedPlugin,
	spec: PluginSpec,
	overrides: Record<string, unknown> = {},
): Record<string, unknown> {
	return {
		id: spec.name,
		uuid: spec.uuid,
		name: spec.name,
		description: `The ${spec.name} plugin`,
		git_url: plugin.url,
		categories: ['metadata'],
		trust_level: 'community',
		authors: ['Test Author'],
		added_at: '2026-01-01T00:00:00Z',
		updated_at: '2026-01-01T00:00:00Z',
		...overrides,
	};
}
