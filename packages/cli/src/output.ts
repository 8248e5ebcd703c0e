/**
 * What a command prints. Human text goes to stdout line by line; with `--json` a command
 * prints exactly one JSON document on stdout instead, so scripts can parse it.
 */
import type { CliIO } from './io.ts';
import type { CliJsonDocument } from './json/index.ts';
import { createStyle, type Style, wantsColour } from './style.ts';

export interface Output {
	readonly json: boolean;
	readonly style: Style;
	/** A line of human output (suppressed in JSON mode). */
	line(text?: string): void;
	/**
	 * A notice on stderr: warnings and progress that must not pollute piped stdout. --quiet
	 * drops the informational ones but keeps `warning: ...` lines, which may be the blacklist.
	 */
	note(text: string): void;
	/** A warning on stderr that even --quiet shows (trust and security warnings). */
	warn(text: string): void;
	/** Extra detail on stderr, only with --verbose: where things came from, what was reused. */
	detail(text: string): void;
	/** The single JSON document of a `--json` run: one of those `json/index.ts` publishes. */
	result(value: CliJsonDocument): void;
}

export function createOutput(io: CliIO, json: boolean): Output {
	const style = createStyle(!json && wantsColour(io.env, io.stdoutIsTTY));
	const errStyle = createStyle(!json && wantsColour(io.env, io.stderrIsTTY));
	return {
		json,
		style,
		line(text = '') {
			if (!json) io.stdout.write(`${text}\n`);
		},
		note(text) {
			if (io.verbosity === 'quiet' && !/^warning\b/i.test(text)) return;
			io.stderr.write(`${errStyle.yellow(text)}\n`);
		},
		warn(text) {
			io.stderr.write(`${errStyle.yellow(text)}\n`);
		},
		detail(text) {
			if (io.verbosity === 'verbose') io.stderr.write(`${errStyle.dim(text)}\n`);
		},
		result(value) {
			if (json) io.stdout.write(`${terminalSafeJson(value)}\n`);
		},
	};
}

/**
 * JSON.stringify escapes C0 controls but leaves DEL, C1 controls (`\u009b` is a CSI on many
 * terminals) and bidi overrides raw. JSON output often ends up on a terminal too, so those are
 * written as `\uXXXX` escapes: the same data for a parser, inert for a screen.
 */
const UNSAFE_IN_JSON =
	/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function terminalSafeJson(value: unknown): string {
	return JSON.stringify(value, null, 2).replace(
		UNSAFE_IN_JSON,
		(char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
	);
}
