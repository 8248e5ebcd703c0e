/**
 * Names written so that the program reads another name than a person or a scanner does.
 * Python folds identifiers to NFKC while parsing (PEP 3131), so `ｅｘｅｃ` and `𝐞𝐱𝐞𝐜` are
 * `exec`; JavaScript reads `\u` escapes in identifiers, so `\u0065val` is `eval`. The rules
 * match names as written, so such a name would slip past all of them; it is reported instead.
 * Honest code has no reason to write a name either way.
 */
import type { Matcher } from '../engine/matcher.ts';

/** Python leaves that hold a name. */
const PY_NAMES = '(identifier) @name';
/** JavaScript and TypeScript leaves that hold a name (node types every JS grammar has). */
const JS_NAMES = `[
	(identifier)
	(property_identifier)
	(shorthand_property_identifier)
	(shorthand_property_identifier_pattern)
	(private_property_identifier)
	(statement_identifier)
] @name`;

const JS_ESCAPE = /\\u(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{4}))/g;

function unescapeJs(name: string): string {
	return name.replace(JS_ESCAPE, (text, braced?: string, four?: string) => {
		const code = Number.parseInt(braced ?? four ?? '', 16);
		return code <= 0x10ffff ? String.fromCodePoint(code) : text;
	});
}

export const identifierMatchers: readonly Matcher[] = [
	{
		family: 'python',
		query: PY_NAMES,
		// Only names with a non-ASCII character can change under NFKC.
		needs: /[^\t\n\r -~]/,
		check({ name }, file) {
			if (name === undefined) return;
			const written = name.text;
			const read = written.normalize('NFKC');
			if (read === written) return;
			file.report(
				'obfuscation-identifier',
				name,
				`the name ${written} is read by Python as ${read}`,
			);
		},
	},
	{
		family: 'js',
		query: JS_NAMES,
		needs: /\\u/,
		check({ name }, file) {
			if (name === undefined || !name.text.includes('\\')) return;
			file.report(
				'obfuscation-identifier',
				name,
				`the name ${name.text} is read as ${unescapeJs(name.text)}`,
			);
		},
	},
];
