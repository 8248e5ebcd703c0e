/**
 * What a rule is made of: a tree-sitter query and a small predicate over its captures. Rules
 * that share a query text share one compiled pattern, so twenty rules looking at calls cost
 * one pass over the calls of a file, not twenty.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleId } from '../rules/catalog.ts';
import type { Confidence, Severity } from '../severity.ts';
import type { SourceLanguage } from '../types.ts';
import type { Transform } from './transforms.ts';

/** Python, or the JavaScript family (JavaScript, TypeScript and TSX share their node names). */
export type LanguageFamily = 'python' | 'js';

export function familyOf(language: SourceLanguage): LanguageFamily {
	return language === 'python' ? 'python' : 'js';
}

export type Captures = Readonly<Record<string, Node>>;

/** Data-flow facts a rule can record; the flow pass connects them within one function. */
export type SourceKind =
	/** Environment, credentials, keys, identity of the user or machine. */
	| 'secret'
	/** The output of base64/hex/chr/decompression: possibly hidden code. */
	| 'decoded'
	/** A socket, connection or request object. */
	| 'netobj'
	/** A started process. */
	| 'process'
	/** Names of an archive's members: chosen by whoever built the archive. */
	| 'entry';

export type SinkKind =
	/** Sends or requests over the network: secrets reaching it are exfiltration. */
	| 'network'
	/** Executes or imports code: decoded data reaching it is a hidden payload. */
	| 'exec'
	/** Starts a process or duplicates a descriptor: a socket reaching it is a remote shell. */
	| 'shell-wire'
	/** The path a file is written to, or an archive extracted: received names reaching it escape. */
	| 'write-path';

export interface ReportOptions {
	severity?: Severity;
	confidence?: Confidence;
	/**
	 * The finding marks where a capability is handed around (a callable stored or returned),
	 * not where it runs: module level does not make it an import-time effect.
	 */
	deferred?: boolean;
}

/** The per-file view rules work with. */
export interface FileContext {
	readonly path: string;
	readonly language: SourceLanguage;
	readonly family: LanguageFamily;
	readonly text: string;
	/**
	 * The dotted name an expression refers to, with imports and simple aliases resolved:
	 * `sp.call` after `import subprocess as sp` is `subprocess.call`, `__import__('os').system`
	 * is `os.system`, a bare Python builtin is `builtins.eval`. Undefined when unknowable.
	 */
	nameOf(node: Node): string | undefined;
	/**
	 * True when the root of a dotted expression is an import, a resolved builtin or a tracked
	 * global, so `nameOf` names a real module rather than echoing a local variable's name.
	 */
	isResolved(node: Node): boolean;
	/** True when the file also defines or assigns `name`, so a bare use may not be the builtin. */
	isShadowed(name: string): boolean;
	/** The value of a plain string literal (no interpolation); undefined otherwise. */
	stringValue(node: Node): string | undefined;
	/** True for literals and expressions built only from literals. */
	isConstant(node: Node): boolean;
	/**
	 * How a string expression was built at run time (concatenated, formatted, decoded,
	 * reversed), following local variables; undefined for a plain literal or an unknown value.
	 */
	transformOf(node: Node): Transform | undefined;
	/** The string an expression evaluates to when every piece is a literal. */
	foldString(node: Node): string | undefined;
	report(rule: RuleId, node: Node, message: string, options?: ReportOptions): void;
	/** Reports a finding on a text range (for rules that read the text, not the tree). */
	reportRange(
		rule: RuleId,
		start: number,
		end: number,
		message: string,
		options?: ReportOptions,
	): void;
	flowSource(node: Node, kind: SourceKind, label: string): void;
	flowSink(call: Node, args: Node | null, kind: SinkKind, label: string): void;
}

export interface Matcher {
	readonly family: LanguageFamily;
	/** One or more tree-sitter patterns. Identical texts across rules are compiled once. */
	readonly query: string;
	/**
	 * A cheap, linear test on the file text: when given, the query runs only on files that
	 * pass it. Used for patterns that match many nodes but rarely matter (long strings).
	 */
	readonly needs?: RegExp;
	check(captures: Captures, file: FileContext): void;
}
