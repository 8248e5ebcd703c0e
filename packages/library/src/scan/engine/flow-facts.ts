/**
 * What the flow pass tracks and connects: the taint bits, which source reaching which sink is
 * which finding, and the summaries of the file's own functions that let a flow cross a call
 * (`exec(fetch())`, `run(decode(blob))`), the way droppers split their steps.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleId } from '../rules/catalog.ts';
import type { SinkKind, SourceKind } from './matcher.ts';

/** Bits for the rules' source kinds, and for what the pass derives itself. */
export const BIT = {
	secret: 1,
	decoded: 2,
	/** A connection, request or response object. */
	netobj: 4,
	process: 8,
	/** Data read from a connection: a reply's body, a received message, a socket's bytes. */
	remote: 16,
	/** A parameter of the function being walked: what reaches a sink from it is a summary. */
	param: 32,
	/** The name of an archive member (`zf.namelist()`, a tar header, an unzip stream's entry). */
	entry: 64,
} as const;

export const SOURCE_BIT: Readonly<Record<SourceKind, number>> = {
	secret: BIT.secret,
	decoded: BIT.decoded,
	netobj: BIT.netobj,
	process: BIT.process,
	entry: BIT.entry,
};

export const OBJECT_BITS = BIT.netobj | BIT.process;

interface Pair {
	sink: SinkKind;
	/** Any of these bits reaching the sink makes the finding. */
	bits: number;
	rule: RuleId;
}

export const PAIRS: readonly Pair[] = [
	{ sink: 'network', bits: BIT.secret, rule: 'exfiltration' },
	{ sink: 'exec', bits: BIT.decoded, rule: 'code-exec-decoded' },
	// Code that arrives over the network was never in the plugin for anyone to review.
	{ sink: 'exec', bits: BIT.netobj | BIT.remote, rule: 'code-exec-remote' },
	// A socket wired to a process, or a received command started: whoever sends it runs it.
	{ sink: 'shell-wire', bits: BIT.netobj | BIT.remote, rule: 'reverse-shell' },
	// A command decoded at run time is a command nobody could read before it ran.
	{ sink: 'shell-wire', bits: BIT.decoded, rule: 'process-stager' },
	// A path chosen by an archive's member names or by a server: `../../.bashrc` writes anywhere.
	{ sink: 'write-path', bits: BIT.entry | BIT.remote | BIT.netobj, rule: 'path-traversal' },
];

export function flowMessage(rule: RuleId, label: string, target: string, bits: number): string {
	switch (rule) {
		case 'exfiltration':
			return `data from ${label} reaches a network call (${target})`;
		case 'code-exec-decoded':
			return `${label} output is executed by ${target}`;
		case 'code-exec-remote':
			return `code received from the network (${label}) is executed by ${target}`;
		case 'process-stager':
			return `a command decoded at run time (${label}) is started by ${target}`;
		case 'path-traversal':
			return bits & BIT.entry
				? `an archive member's name (${label}) chooses where ${target} writes`
				: `data received from the network (${label}) chooses where ${target} writes`;
		default:
			return bits & BIT.remote
				? `data received from the network (${label}) is run by ${target}`
				: `a network connection is wired into ${target}`;
	}
}

/** Methods that put a value into their holder: the holder then carries the value's data. */
export const FILLING_METHODS: ReadonlySet<string> = new Set([
	'append',
	'extend',
	'insert',
	'add',
	'update',
	'appendleft',
	'push',
	'unshift',
	'write',
	'put',
	'concat',
]);

/** Methods of a started process's input that feed it (`shell.stdin.write(data)`). */
export const FEEDING_METHODS: ReadonlySet<string> = new Set(['write', 'end']);

/**
 * What the file's own functions do with data, learnt while walking them, by function name
 * (`self.f` and `this.f` calls are matched by the last name). A name defined twice merges.
 */
export class Summaries {
	/** Bits a function's return value carries. */
	readonly returns = new Map<string, number>();
	/** Sink kinds a function's parameters reach. */
	readonly paramSinks = new Map<string, Set<SinkKind>>();
	/** Functions handed to a network call as callbacks: their parameters are what it receives. */
	readonly callbacks = new Map<string, number>();
	/** Grows each time a fact is new, so the pass knows whether another round can find more. */
	version = 0;
	/** Functions whose return or parameter facts grew since `clearChanged`: their callers may gain. */
	readonly calledChanged = new Set<string>();
	/** Functions newly known as network callbacks since `clearChanged`: their bodies may gain. */
	readonly definedChanged = new Set<string>();

	clearChanged(): void {
		this.calledChanged.clear();
		this.definedChanged.clear();
	}

	addReturn(name: string, bits: number): void {
		const previous = this.returns.get(name) ?? 0;
		if ((previous | bits) === previous) return;
		this.returns.set(name, previous | bits);
		this.calledChanged.add(name);
		this.version++;
	}

	addParamSink(name: string, kind: SinkKind): void {
		const kinds = this.paramSinks.get(name) ?? new Set<SinkKind>();
		if (kinds.has(kind)) return;
		kinds.add(kind);
		this.paramSinks.set(name, kinds);
		this.calledChanged.add(name);
		this.version++;
	}

	addCallback(name: string, bits: number): void {
		const previous = this.callbacks.get(name) ?? 0;
		if ((previous | bits) === previous) return;
		this.callbacks.set(name, previous | bits);
		this.definedChanged.add(name);
		this.version++;
	}
}

const SELF = /^(?:self|cls|this)\.([A-Za-z_$][\w$]*)$/;

/** The file-function name a call's callee refers to: `f`, `self.f`, `this.f`. */
export function calleeKey(callee: Node | null): string | undefined {
	if (callee === null) return undefined;
	if (callee.type === 'identifier') return callee.text;
	if (callee.type === 'attribute' || callee.type === 'member_expression') {
		return SELF.exec(callee.text)?.[1];
	}
	return undefined;
}

const FUNCTION_LITERALS: ReadonlySet<string> = new Set([
	'lambda',
	'arrow_function',
	'function_expression',
	'function',
	'generator_function',
]);

export function isFunctionLiteral(node: Node): boolean {
	return FUNCTION_LITERALS.has(node.type);
}

/** A function's own name, where its definition says it (`def f`, `function f`, `f() {}`). */
export function declaredName(fn: Node): string | undefined {
	const name = fn.childForFieldName('name');
	return name !== null && (name.type === 'identifier' || name.type === 'property_identifier')
		? name.text
		: undefined;
}

/** The names a function's parameters bind, defaults and annotations left out. */
export function parameterNames(fn: Node): string[] {
	const single = fn.childForFieldName('parameter');
	if (single !== null) return single.type === 'identifier' ? [single.text] : [];
	const params = fn.childForFieldName('parameters');
	if (params === null) return [];
	const names: string[] = [];
	for (const param of params.namedChildren) {
		if (param === null) continue;
		if (param.type === 'identifier') {
			names.push(param.text);
			continue;
		}
		const named = param.childForFieldName('name') ?? param.childForFieldName('left');
		const first = named ?? param.namedChild(0);
		if (first?.type === 'identifier') names.push(first.text);
		else if (first?.type === 'shorthand_property_identifier_pattern') names.push(first.text);
		if (names.length >= 32) break;
	}
	return names;
}

/** Arguments of a call that are values: positional ones and keyword values. */
export function argumentValues(args: Node | null): Node[] {
	if (args === null) return [];
	const values: Node[] = [];
	for (const arg of args.namedChildren) {
		if (arg === null) continue;
		if (arg.type === 'keyword_argument') {
			const value = arg.childForFieldName('value');
			if (value !== null) values.push(value);
		} else values.push(arg);
		if (values.length >= 32) break;
	}
	return values;
}

const SHELL_FLAG = /^(?:-c|\/c|-command|-e|--eval)$/i;
const LIST_NODES: ReadonlySet<string> = new Set(['list', 'tuple', 'array']);
const STDIO_KEYWORDS: ReadonlySet<string> = new Set(['stdin', 'stdout', 'stderr']);

/**
 * The parts of a process call that say what runs: the command (for an argument list, the
 * program and the word after `-c`) and the standard streams. Data reaching only other
 * arguments (a port number, an environment) is not a command.
 */
export function commandParts(args: Node | null): Node[] {
	if (args === null) return [];
	const parts: Node[] = [];
	let positional = 0;
	for (const arg of args.namedChildren) {
		if (arg === null) continue;
		if (arg.type === 'keyword_argument') {
			const name = arg.childForFieldName('name')?.text ?? '';
			const value = arg.childForFieldName('value');
			if (STDIO_KEYWORDS.has(name) && value !== null) parts.push(value);
			continue;
		}
		positional++;
		if (LIST_NODES.has(arg.type)) {
			const words = arg.namedChildren.filter((word): word is Node => word !== null);
			if (positional === 1 && words[0] !== undefined) parts.push(words[0]);
			words.forEach((word, index) => {
				const next = words[index + 1];
				if (next !== undefined && SHELL_FLAG.test(word.text.replace(/^['"]|['"]$/g, ''))) {
					parts.push(next);
				}
			});
		} else if (positional === 1) parts.push(arg);
		if (positional >= 3) break;
	}
	return parts;
}
