/** Registries for validate tests: entries in the JSON form, parsed as a local registry reads them. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGit } from '../../../src/git/git.ts';
import { createRegistryProbe } from '../../../src/lifecycle/registry-probe.ts';
import { digestTree } from '../../../src/lifecycle/store/digest.ts';
import type { Registry } from '../../../src/registry/model.ts';
import { parseRegistryText } from '../../../src/registry/parse.ts';
import type { RepositoryProbe } from '../../../src/registry/validate/repository-port.ts';
import { validateRegistry } from '../../../src/registry/validate/validate.ts';
import { testGitEnv } from '../../helpers/git-repos.ts';

export interface EntryFields {
	id: string;
	uuid: string;
	git_url: string;
	trust_level?: string;
	versioning_scheme?: string;
	refs?: { name: string }[];
	releases?: { ref: string; commit: string; tree: string }[];
	redirect_from_uuid?: string[];
}

export function entry(fields: EntryFields): Record<string, unknown> {
	return {
		name: `Plugin ${fields.id}`,
		description: 'Does one thing well',
		categories: ['metadata'],
		trust_level: 'community',
		authors: ['Someone'],
		added_at: '2026-01-01T00:00:00Z',
		updated_at: '2026-01-02T00:00:00Z',
		...fields,
	};
}

export function registryOf(entries: Record<string, unknown>[]): Registry {
	return parseRegistryText(JSON.stringify({ api_version: '3.0', plugins: entries }), {
		label: 'test registry',
	});
}

export function realProbe(): RepositoryProbe {
	return createRegistryProbe({
		git: createGit({ env: testGitEnv() }),
		digest: (dir) => digestTree(dir),
		makeTempDir: () => mkdtemp(join(tmpdir(), 'vouch-validate-test-')),
		removeDir: (dir) => rm(dir, { recursive: true, force: true }),
	});
}

export const LOCAL_REGISTRY = { kind: 'registry-git', registryIsLocal: true } as const;

/** Validates with the real probe against local repositories. */
export function validateLocal(registry: Registry) {
	return validateRegistry(registry, {
		probe: realProbe(),
		transport: LOCAL_REGISTRY,
		concurrency: 2,
	});
}

export function codesOf(issues: readonly { code: string; plugin?: string; ref?: string }[]) {
	return issues.map((issue) =>
		[issue.plugin ?? '', issue.code, issue.ref ?? ''].join(' ').trimEnd(),
	);
}
