/**
 * Debian's bandit, the baseline the scan benchmark measures Vouch against: installed with
 * apt-get on first use, and run on a directory with its JSON report read back.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function banditVersion(): string | undefined {
	const run = spawnSync('bandit', ['--version'], { encoding: 'utf8' });
	if (run.status !== 0) return undefined;
	return /bandit ([\d.]+)/.exec(`${run.stdout}${run.stderr}`)?.[1] ?? 'unknown';
}

/** Debian's bandit, installed on first use (the bench machine is a Debian image). */
export function ensureBandit(): string | { unavailable: string } {
	const present = banditVersion();
	if (present !== undefined) return present;
	console.log('  installing bandit with apt-get (Debian package)...');
	try {
		execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
		execFileSync('apt-get', ['install', '-y', '-qq', 'bandit'], {
			stdio: 'ignore',
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
	} catch (error) {
		return { unavailable: `apt-get install bandit failed: ${(error as Error).message}` };
	}
	return banditVersion() ?? { unavailable: 'bandit is not runnable after installing it' };
}

export interface BanditRun {
	ms: number;
	results: { test_id: string; test_name: string; issue_severity: string; filename: string }[];
}

export function runBandit(target: string): BanditRun {
	const out = join(mkdtempSync(join(tmpdir(), 'vouch-bench-bandit-')), 'report.json');
	const start = process.hrtime.bigint();
	// Exit status 1 only means "issues found".
	const run = spawnSync('bandit', ['-r', '-q', '-f', 'json', '-o', out, target], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	const ms = Number(process.hrtime.bigint() - start) / 1e6;
	if (run.status !== 0 && run.status !== 1) {
		throw new Error(`bandit failed (${run.status}): ${run.stderr.slice(0, 500)}`);
	}
	const report = JSON.parse(readFileSync(out, 'utf8')) as { results: BanditRun['results'] };
	rmSync(join(out, '..'), { recursive: true, force: true });
	return { ms, results: report.results };
}

/** The severities bandit reports on one directory (HIGH, MEDIUM, LOW). */
export function banditSeverities(dir: string): Set<string> {
	return new Set(runBandit(dir).results.map((result) => result.issue_severity));
}

export function banditHighCount(dir: string): number {
	return runBandit(dir).results.filter((result) => result.issue_severity === 'HIGH').length;
}
