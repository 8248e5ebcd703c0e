/** Shared by the reach tests: a plugin written into a temp directory, the classes judged high. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../helpers/temp.ts';
import type { scan } from './support.ts';

export function plugin(files: Record<string, string>): string {
	const dir = makeTempDir('vouch-scan-reach-');
	for (const [name, content] of Object.entries(files)) {
		mkdirSync(join(dir, name, '..'), { recursive: true });
		writeFileSync(join(dir, name), content);
	}
	return dir;
}

type Report = Awaited<ReturnType<typeof scan>>;

/** The classes an `undeclared-sensitive` finding names, by the words of its message. */
export function undeclaredHigh(report: Report): string[] {
	return report.findings
		.filter((f) => f.ruleId === 'undeclared-sensitive')
		.map((f) => {
			assert.equal(f.severity, 'high');
			return /can reach (.*?) \(/.exec(f.message)?.[1] ?? f.message;
		})
		.sort();
}
