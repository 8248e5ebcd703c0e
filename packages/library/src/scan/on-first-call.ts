/**
 * `scanPlugin` as the library's entry point exports it: the scanner (web-tree-sitter, the
 * grammars' bindings and every rule) is loaded on the first call, not when a host imports the
 * library. Most processes that import the library never scan (a host starting its plugins, a
 * command that lists them), and loading the scanner would cost each of them a noticeable part
 * of its start-up. The embedding façade loads it the same way (`embed/wiring.ts`).
 */
import type { ScanOptions } from './scan-plugin.ts';
import type { ScanReport } from './types.ts';

/** Scans the plugin in `dir` (D21) and checks its declared capabilities against the code (D20). */
export async function scanPlugin(dir: string, options: ScanOptions = {}): Promise<ScanReport> {
	const scanner = await import('./scan-plugin.ts');
	return scanner.scanPlugin(dir, options);
}
