#!/usr/bin/env node
// The `vouch` command. It loads the compiled and bundled CLI (scripts/bundle.mjs says why), so it
// runs on plain Node with no TypeScript tooling; `npm ci` at the repository root (or
// `npm run build`) writes dist/bundle/.
const entry = new URL('../dist/bundle/bin.js', import.meta.url);
try {
	await import(entry.href);
} catch (error) {
	// A clone that was never built: say what to run instead of printing a module stack. Only
	// when the bundle's entry itself is missing: a chunk missing from an installed package is
	// not cured by a build, and its own error names it.
	if (error?.code === 'ERR_MODULE_NOT_FOUND' && error.url === entry.href) {
		process.stderr.write(
			'✗ The compiled vouch command is missing (dist/bundle/).\n  hint: in a clone of the repository, run `npm ci` or `npm run build` first.\n',
		);
		process.exit(1);
	}
	throw error;
}
