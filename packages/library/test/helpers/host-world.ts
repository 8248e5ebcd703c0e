/**
 * A host's whole world for tests of the library entry and the examples: a temp directory with a
 * real profile file, a real registry file it names, XDG directories, and a git smart-HTTP
 * server on 127.0.0.1 serving plugin repositories. Nothing touches the real home or network.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GitHttpServer, startGitHttpServer } from './git-http-server.ts';
import { bareClone, createPluginRepo, manifestToml, type TestRepo } from './git-repos.ts';
import { makeTempDir } from './temp.ts';

export interface HostPluginSpec {
	name: string;
	uuid: string;
	files?: Record<string, string>;
}

export interface HostServedPlugin {
	spec: HostPluginSpec;
	repo: TestRepo;
	bare: string;
	url: string;
}

export interface HostWorld {
	root: string;
	/** The environment a host process would have: its own HOME and XDG dirs, no git config. */
	env: NodeJS.ProcessEnv;
	profileFile: string;
	registryFile: string;
	/** Where the profile keeps installed plugins and their records. */
	pluginsDir: string;
	dataDir: string;
	server: GitHttpServer;
	serve(spec: HostPluginSpec): HostServedPlugin;
	/** Commits a change to the plugin and publishes it to the served copy; returns the commit. */
	release(plugin: HostServedPlugin, files: Record<string, string>): string;
	writeRegistry(plugins: HostServedPlugin[], blacklist?: unknown[], trust?: string): void;
	close(): Promise<void>;
}

export async function createHostWorld(): Promise<HostWorld> {
	const root = makeTempDir('vouch-host-');
	const env: NodeJS.ProcessEnv = {
		HOME: join(root, 'home'),
		XDG_DATA_HOME: join(root, 'xdg-data'),
		XDG_CACHE_HOME: join(root, 'xdg-cache'),
		XDG_CONFIG_HOME: join(root, 'xdg-config'),
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
		PATH: process.env.PATH ?? '/usr/bin:/bin',
	};
	const served = join(root, 'served');
	const server = await startGitHttpServer({ root: served });
	const profileFile = join(root, 'host.toml');
	const registryFile = join(root, 'plugins.json');
	writeFileSync(
		profileFile,
		[
			'name = "testhost"',
			'api_versions = ["3.0"]',
			'registry_urls = ["plugins.json"]',
			'allow_unsigned = true',
			'categories = ["metadata", "other"]',
			'plugins_dir = "state/plugins"',
			'data_dir = "state/data"',
			'cache_dir = "state/cache"',
			'config_dir = "state/config"',
			'',
		].join('\n'),
	);
	const world: HostWorld = {
		root,
		env,
		profileFile,
		registryFile,
		pluginsDir: join(root, 'state', 'plugins'),
		dataDir: join(root, 'state', 'data'),
		server,
		serve(spec) {
			const repo = createPluginRepo({
				manifest: manifestToml({ uuid: spec.uuid, name: spec.name }),
				files: spec.files ?? {},
			});
			const path = `${spec.name}.git`;
			const bare = bareClone(repo, served, path);
			return { spec, repo, bare, url: `${server.url}/${path}` };
		},
		release(plugin, files) {
			const commit = plugin.repo.commit(files);
			plugin.repo.git(['push', '-q', '--force', '--tags', plugin.bare, 'HEAD:refs/heads/main']);
			return commit;
		},
		writeRegistry(plugins, blacklist = [], trust = 'community') {
			const entries = plugins.map(({ spec, url }) => ({
				id: spec.name,
				uuid: spec.uuid,
				name: spec.name,
				description: `The ${spec.name} plugin`,
				git_url: url,
				categories: ['metadata'],
				trust_level: trust,
				authors: ['Test Author'],
				added_at: '2026-01-01T00:00:00Z',
				updated_at: '2026-01-01T00:00:00Z',
			}));
			writeFileSync(
				registryFile,
				JSON.stringify({ api_version: '3.0', plugins: entries, blacklist }),
			);
		},
		close: () => server.close(),
	};
	world.writeRegistry([]);
	return world;
}
