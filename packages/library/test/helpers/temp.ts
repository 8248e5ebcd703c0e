/** Temporary directories for tests, removed when the test process ends, pass or fail. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const created: string[] = [];

process.on('exit', () => {
	for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

export function makeTempDir(prefix = 'vouch-test-'): string {
	const dir = mkdtempSync(join(tmpdir(), prefix));
	created.push(dir);
	return dir;
}
