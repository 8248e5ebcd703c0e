/** Builders for manifest texts in tests: a valid base, with fields replaced or removed. */
import { spawnSync } from 'node:child_process';
import type { ManifestResult } from '../../src/manifest/index.ts';
import { parseManifestText } from '../../src/manifest/index.ts';

/** A random v4 UUID that passes the entropy check. */
export const GOOD_UUID = '3713d8f5-72b0-401d-9ec9-3818380bc576';

/** TOML literals (right-hand sides) of a minimal valid manifest. */
export const BASE_FIELDS: Readonly<Record<string, string>> = {
	uuid: JSON.stringify(GOOD_UUID),
	name: '"Example"',
	description: '"Does one thing"',
	api: '["3.0"]',
};

/** A TOML basic string holding `value` (JSON string escapes are valid TOML). */
export function tomlString(value: string): string {
	return JSON.stringify(value);
}

/**
 * Manifest text: the base fields with `overrides` applied (a value of undefined removes the
 * key), then `tail` (tables) appended.
 */
export function manifestText(
	overrides: Record<string, string | undefined> = {},
	tail = '',
): string {
	const fields: Record<string, string | undefined> = { ...BASE_FIELDS, ...overrides };
	const lines = Object.entries(fields)
		.filter((entry): entry is [string, string] => entry[1] !== undefined)
		.map(([key, value]) => `${key} = ${value}`);
	return `${lines.join('\n')}\n${tail}`;
}

export function check(
	overrides: Record<string, string | undefined> = {},
	tail = '',
	categories?: readonly string[],
): ManifestResult {
	return parseManifestText(
		manifestText(overrides, tail),
		'MANIFEST.toml',
		categories === undefined ? {} : { categories },
	);
}

export function codes(issues: readonly { code: string }[]): string[] {
	return issues.map((issue) => issue.code);
}

/** [code, field] pairs, for exact comparisons. */
export function pairs(
	issues: readonly { code: string; field?: string }[],
): [string, string | undefined][] {
	return issues.map((issue) => [issue.code, issue.field]);
}

/**
 * Which of `documents` Python's tomllib (TOML 1.0, what Picard uses) accepts, in one python3
 * run. Undefined when python3 or tomllib is not available.
 */
export function tomllibAccepts(documents: readonly string[]): boolean[] | undefined {
	const script = [
		'import json, sys, tomllib',
		'docs = json.load(sys.stdin)',
		'out = []',
		'for d in docs:',
		'    try:',
		'        tomllib.loads(d); out.append(True)',
		'    except tomllib.TOMLDecodeError:',
		'        out.append(False)',
		'print(json.dumps(out))',
	].join('\n');
	const run = spawnSync('python3', ['-c', script], {
		input: JSON.stringify(documents),
		encoding: 'utf8',
	});
	if (run.status !== 0) return undefined;
	return JSON.parse(run.stdout) as boolean[];
}

/** C0/C1 controls (ESC, BEL, CR...) or bidi overrides: what must never reach a terminal. */
export function hasTerminalControls(text: string): boolean {
	for (const ch of text) {
		const cp = ch.codePointAt(0) as number;
		if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e)) return true;
	}
	return false;
}

/** Text with every control character removed (for building valid TOML literal strings). */
export function withoutControls(text: string): string {
	return [...text].filter((ch) => !hasTerminalControls(ch)).join('');
}
