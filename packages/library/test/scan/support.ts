/** Shared by the scanner tests: one engine per test file, fixture paths, `expect:` markers. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	createScanEngine,
	type ScanEngine,
	type ScanOptions,
	scanPlugin,
} from '../../src/scan/index.ts';

export const FIXTURES = new URL('../fixtures/scan/', import.meta.url).pathname;

let engine: Promise<ScanEngine> | undefined;

export function testEngine(): Promise<ScanEngine> {
	engine ??= createScanEngine();
	return engine;
}

/**
 * A clock that never advances. With it the scan's time bounds cannot be reached, so a test sees
 * the scan run to the end however busy the machine is. Tests of the time bounds pass their own.
 */
export const FROZEN_CLOCK = (): number => 0;

export async function scan(dir: string, options: ScanOptions = {}) {
	return scanPlugin(dir, { engine: await testEngine(), clock: FROZEN_CLOCK, ...options });
}

export interface Marker {
	file: string;
	line: number;
	rules: string[];
}

/** Lines carrying `expect: rule-a, rule-b` in a comment, per file of a fixture directory. */
export function markers(dir: string): Marker[] {
	const found: Marker[] = [];
	for (const name of readdirSync(dir).sort()) {
		const lines = readFileSync(join(dir, name), 'utf8').split('\n');
		lines.forEach((text, index) => {
			const match = /(?:#|\/\/)\s*expect:\s*([a-z0-9, -]+)$/.exec(text.trimEnd());
			if (match?.[1] === undefined) return;
			const rules = match[1]
				.split(',')
				.map((rule) => rule.trim())
				.filter((rule) => rule !== '');
			found.push({ file: name, line: index + 1, rules });
		});
	}
	return found;
}
