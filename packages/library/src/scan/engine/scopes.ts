/**
 * Function bodies and `if __name__ == '__main__':` blocks as index ranges. Parents are never
 * walked: web-tree-sitter finds a node's parent by descending from the root, so walking up a
 * deep tree is quadratic. Ranges from one query answer "which function holds this?" instead.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageFamily } from './matcher.ts';

export const SCOPE_QUERIES: Readonly<Record<LanguageFamily, string>> = {
	python: '(function_definition body: (_) @body) @fn (lambda body: (_) @body) @fn',
	js: `
(function_declaration body: (_) @body) @fn
(function_expression body: (_) @body) @fn
(arrow_function body: (_) @body) @fn
(method_definition body: (_) @body) @fn
(generator_function_declaration body: (_) @body) @fn
(generator_function body: (_) @body) @fn
`,
};

/** Blocks that run only when the file is executed as a script, never on import. */
export const MAIN_GUARD_QUERIES: Readonly<Record<LanguageFamily, string>> = {
	python: '(if_statement condition: (_) @condition consequence: (_) @body)',
	js: '(if_statement condition: (_) @condition consequence: (_) @body)',
};

export const MAIN_GUARD_HINT: Readonly<Record<LanguageFamily, RegExp>> = {
	python: /__main__/,
	js: /require\.main/,
};

export function isMainGuard(family: LanguageFamily, condition: Node): boolean {
	const text = condition.text;
	return family === 'python'
		? text.includes('__name__') && text.includes('__main__')
		: /require\.main\s*===?\s*module|module\s*===?\s*require\.main/.test(text);
}

export interface Scope {
	start: number;
	end: number;
	node: Node;
	/** The function whose body this is (its name and parameters); none for guards. */
	fn?: Node;
}

export class ScopeIndex {
	/** Sorted by start; ranges nest or are disjoint. */
	readonly scopes: readonly Scope[];

	constructor(scopes: Scope[]) {
		this.scopes = scopes.sort((a, b) => a.start - b.start || b.end - a.end);
	}

	/** The innermost scope holding `index`, or undefined at module level. */
	innermost(index: number): Scope | undefined {
		let found: Scope | undefined;
		for (const scope of this.scopes) {
			if (scope.start > index) break;
			if (index < scope.end) found = scope;
		}
		return found;
	}

	contains(scope: Scope | undefined, index: number): boolean {
		return scope === undefined || (scope.start <= index && index < scope.end);
	}
}
