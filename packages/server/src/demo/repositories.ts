/**
 * The demo plugins' git repositories, made with real git: each release is a commit with an
 * annotated tag, and what is served is a bare copy (`repos/<id>.git`). Pins (commit and tree
 * digest, D19b) are computed from the exact tree each release commits, the way
 * `vouch registry pin` computes them from a checkout.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createGitAuthoring } from '@vouch/library/internal/git/authoring';
import { digestTree } from '@vouch/library/internal/lifecycle/store/digest';
import { type DemoPlugin, demoManifest } from './plugins.ts';

export interface DemoPin {
	ref: string;
	commit: string;
	tree: string;
}

export interface BuiltRepository {
	id: string;
	/** Relative to the ecosystem directory. */
	path: string;
	pins: DemoPin[];
}

const MINUTE_MS = 60_000;

/**
 * Builds the bare repository of every plugin under `<dir>/repos`, using `<dir>/work` as a
 * scratch area it removes afterwards. Release dates count up from `since`, a minute apart.
 */
export async function buildDemoRepositories(
	dir: string,
	plugins: readonly DemoPlugin[],
	since: Date,
	env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<BuiltRepository[]> {
	const git = createGitAuthoring({
		identity: { name: 'Vouch demo', email: 'demo@vouch.invalid' },
		env,
	});
	const work = join(dir, 'work');
	const built: BuiltRepository[] = [];
	let step = 0;
	for (const plugin of plugins) {
		const tree = join(work, plugin.id);
		await git.init(tree, 'main');
		const pins: DemoPin[] = [];
		for (const release of plugin.releases) {
			const date = new Date(since.getTime() + step++ * MINUTE_MS);
			const version = release.tag.replace(/^v/, '');
			await writeFiles(tree, { 'MANIFEST.toml': demoManifest(plugin, version), ...release.files });
			const commit = await git.commitAll(tree, `Release ${release.tag}`, date);
			await git.tag(tree, release.tag, `${plugin.name} ${release.tag}`, date);
			pins.push({ ref: release.tag, commit, tree: (await digestTree(tree)).treeDigest });
		}
		const path = join('repos', `${plugin.id}.git`);
		await git.bareCopy(tree, join(dir, path));
		built.push({ id: plugin.id, path, pins });
	}
	await rm(work, { recursive: true, force: true });
	return built;
}

async function writeFiles(root: string, files: Readonly<Record<string, string>>): Promise<void> {
	for (const [relative, content] of Object.entries(files)) {
		const path = join(root, ...relative.split('/'));
		await mkdir(dirname(path), { recursive: true });
		await writeFile(path, content);
	}
}
