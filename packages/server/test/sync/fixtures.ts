/** What the sync tests share: the real registry, scan reports as `registry review` writes them, a git. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGit, type Git } from '@vouch/library/internal/git/git';
import { testGitEnv } from '../../../library/test/helpers/git-repos.ts';
import type { Actor } from '../../src/store/actor.ts';

const REGISTRIES = join(import.meta.dirname, '../../../library/test/fixtures/registries');

// Picard's real registry, as published, in both of its formats.
export const REAL_TOML = readFileSync(join(REGISTRIES, 'picard-plugins.toml'), 'utf8');
export const REAL_JSON = readFileSync(join(REGISTRIES, 'picard-plugins.json'), 'utf8');
/** A plugin the real registry lists. */
export const LISTED_ID = 'add-to-collection';

export const SYNC_ACTOR: Actor = { name: 'registry-sync', role: 'admin' };
export const AUTHOR = { name: 'Vouch Registry', email: 'registry@example.invalid' };
export const clock = () => new Date('2026-06-01T12:00:00Z');

/** A git that ignores the user's configuration, as the tests' repositories do. */
export function testGit(): Git {
	return createGit({ env: testGitEnv() });
}

/** A scan report's text, as `registry review` stores it (`root` is `<id>@<commit>`). */
export function scanReportText(id: string, commit: string, findings = 0): string {
	const report = {
		reportVersion: 1,
		scanner: { name: 'vouch-scan', version: '0.1.0' },
		root: `${id}@${commit}`,
		manifest: { status: 'valid', file: 'MANIFEST.toml' },
		findings: [],
		summary: { critical: 0, high: findings, medium: 0, low: 0, info: 0, total: findings },
		capabilities: { declared: [], inferred: [], undeclared: [] },
		files: { scanned: 1, other: 0, bytes: 10, lines: 1, byLanguage: {} },
	};
	return `${JSON.stringify(report, null, 1)}\n`;
}

/** `real` with the first plugin's trust level set to `trust`: a small, valid change. */
export function withFirstTrust(real: string, trust: string): string {
	return real.replace('trust_level = "community"', `trust_level = "${trust}"`);
}

/** A file at a revision of a repository, byte for byte (no newline trimmed). */
export function fileAt(repo: string, revision: string, path: string): string {
	return execFileSync('git', ['show', `${revision}:${path}`], {
		cwd: repo,
		env: testGitEnv(),
		encoding: 'utf8',
	});
}
