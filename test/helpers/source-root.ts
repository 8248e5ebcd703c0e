/**
 * The repository a test belongs to, for the few tests that hand the repository itself to
 * another program (`npm pack`, TypeDoc). The suite usually runs from `.test-build/`, a mirror of
 * the repository compiled to JavaScript (scripts/test-build.mjs), whose packages are not what
 * npm would pack; the mirror names the repository it came from in `.source-root`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository whose root is, or is mirrored at, `root`. */
export function sourceRoot(root: string): string {
	const marker = join(root, '.source-root');
	return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : root;
}
