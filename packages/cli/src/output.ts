/**
 * What a command prints. Human text goes to stdout line by line; with `--json` a command
 * prints exactly one JSON document on stdout instead, so scripts can parse it.
 */
import { isAlwaysInvisible } from '@vouch/library/internal/core/invisible-text';
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
 * terminals), line separators and characters that draw nothing (bidi controls, zero-width
 * spaces, tag characters: `invisible-text.ts`) raw. JSON output often ends up on a terminal
 * too, and its data fields are not sanitised, so those are written as `\uXXXX` escapes: the
 * same data for a parser, inert and visible for a screen.
 */
export function terminalSafeJson(value: unknown): string {
	const text = JSON.stringify(value, null, 2);
	let out = '';
	for (const char of text) {
		const cp = char.codePointAt(0) as number;
		if ((cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029 || isAlwaysInvisible(cp)) {
			// An astral character is written as its surrogate pair, as JSON spells it.
			for (let i = 0; i < char.length; i++) {
				out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
			}
		} else {
			out += char;
		}
	}
	return out;
}
