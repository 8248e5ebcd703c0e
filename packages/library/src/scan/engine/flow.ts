/**
 * The flow pass: connects sources and sinks the rules recorded, within one function and the
 * closures inside it. A source reaches a sink when it sits inside the sink's arguments, or
 * when a variable assigned from it (directly or through other assignments, in source order)
 * is passed to the sink. That is enough for the shapes that matter (a secret sent out, decoded
 * data executed, a socket handed to a shell) without a full interpreter.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleId } from '../rules/catalog.ts';
import type { FileState, FlowSink, FlowSource } from './file-context.ts';
import type { SinkKind, SourceKind } from './matcher.ts';
import type { Scope, ScopeIndex } from './scopes.ts';
import { NAME_NODES, targetNames, walk } from './tree-walk.ts';

const BIT: Readonly<Record<SourceKind, number>> = { secret: 1, decoded: 2, netobj: 4, process: 8 };
const OBJECT_BITS = BIT.netobj | BIT.process;
/** Nodes looked at when judging one expression; bounds hostile, giant expressions. */
const MAX_EXPRESSION_NODES = 5000;
/** Nodes walked for one scope. */
const MAX_SCOPE_NODES = 200_000;

const ASSIGNMENTS: Readonly<Record<string, readonly [string, string]>> = {
	assignment: ['left', 'right'],
	augmented_assignment: ['left', 'right'],
	named_expression: ['name', 'value'],
	for_statement: ['left', 'right'],
	variable_declarator: ['name', 'value'],
	assignment_expression: ['left', 'right'],
	augmented_assignment_expression: ['left', 'right'],
	for_in_statement: ['left', 'right'],
};

const CALLS = new Set(['call', 'call_expression', 'new_expression']);

interface Pair {
	sink: SinkKind;
	source: SourceKind;
	rule: RuleId;
}

const PAIRS: readonly Pair[] = [
	{ sink: 'network', source: 'secret', rule: 'exfiltration' },
	{ sink: 'exec', source: 'decoded', rule: 'code-exec-decoded' },
	{ sink: 'shell-wire', source: 'netobj', rule: 'reverse-shell' },
];

function inside(source: FlowSource, node: Node): boolean {
	return source.start >= node.startIndex && source.end <= node.endIndex;
}

type Taint = Map<string, { bits: number; label: string }>;

/** One function (or the module) while it is walked. */
interface Frame {
	/** Where the function body ends. */
	end: number;
	taint: Taint;
	/** A secret was read or used here. */
	secret: string | undefined;
	/** Network sends made here. */
	sends: { call: Node; label: string }[];
	/** A traced exfiltration was already reported here. */
	traced: boolean;
}

class Walker {
	private readonly sinksAt = new Map<string, FlowSink[]>();

	constructor(
		private readonly file: FileState,
		private readonly deadline: () => void,
	) {
		for (const sink of file.sinks) {
			const key = `${sink.call.startIndex}:${sink.call.endIndex}`;
			this.sinksAt.set(key, [...(this.sinksAt.get(key) ?? []), sink]);
		}
	}

	/** Kinds reaching `node`: sources inside it and tainted names used in it. */
	taintOf(node: Node, taint: Taint): { bits: number; label: string } {
		let bits = 0;
		let label = '';
		for (const source of this.file.sources) {
			if (inside(source, node)) {
				bits |= BIT[source.kind];
				label ||= source.label;
			}
		}
		if (taint.size === 0) return { bits, label };
		const cursor = node.walk();
		let seen = 0;
		walk(cursor, () => {
			if (++seen > MAX_EXPRESSION_NODES) return false;
			if (NAME_NODES.has(cursor.nodeType)) {
				const hit = taint.get(cursor.nodeText);
				if (hit !== undefined) {
					bits |= hit.bits;
					label ||= hit.label;
				}
			}
			return true;
		});
		cursor.delete();
		return { bits, label };
	}

	report(rule: RuleId, call: Node, label: string, target: string): void {
		const message =
			rule === 'exfiltration'
				? `data from ${label} reaches a network call (${target})`
				: rule === 'code-exec-decoded'
					? `${label} output is executed by ${target}`
					: `a network connection is wired into ${target}`;
		this.file.report(rule, call, message);
	}

	/** Registered sinks, and sends on connection objects (`sock.send(data)`). */
	checkCall(call: Node, frame: Frame): void {
		const taint = frame.taint;
		const sinks = this.sinksAt.get(`${call.startIndex}:${call.endIndex}`) ?? [];
		for (const sink of sinks) {
			const { bits, label } = this.taintOf(sink.args ?? call, taint);
			if (bits & BIT.secret) frame.secret ??= label;
			if (sink.kind === 'network') frame.sends.push({ call, label: sink.label });
			for (const pair of PAIRS) {
				if (pair.sink === sink.kind && bits & BIT[pair.source]) {
					this.report(pair.rule, call, label, sink.label);
					if (pair.rule === 'exfiltration') frame.traced = true;
				}
			}
		}
		const callee = call.childForFieldName('function');
		if (callee === null || (callee.type !== 'attribute' && callee.type !== 'member_expression')) {
			return;
		}
		const holder = callee.childForFieldName('object');
		const method = callee.childForFieldName(callee.type === 'attribute' ? 'attribute' : 'property');
		if (holder === null) return;
		const holderBits = this.taintOf(holder, taint).bits;
		const args = call.childForFieldName('arguments');
		if (args === null) return;
		const passed = this.taintOf(args, taint);
		if (passed.bits & BIT.secret) frame.secret ??= passed.label;
		if (holderBits & BIT.netobj) {
			const target = `${holder.text}.${method?.text ?? ''}`;
			frame.sends.push({ call, label: target });
			if (passed.bits & BIT.secret) {
				this.report('exfiltration', call, passed.label, target);
				frame.traced = true;
			}
		}
		// `socket.pipe(shell.stdin)` or `shell.stdout.pipe(socket)`.
		const both = holderBits | passed.bits;
		if (method?.text === 'pipe' && both & BIT.netobj && both & BIT.process) {
			this.report('reverse-shell', call, '', 'a process');
		}
	}

	/**
	 * A function that reads a secret and sends over the network, without a path the pass could
	 * follow (through a file copy, a database, a global): reported, but less certain.
	 */
	finish(frame: Frame): void {
		const send = frame.sends[0];
		if (frame.traced || frame.secret === undefined || send === undefined) return;
		this.file.report(
			'exfiltration',
			send.call,
			`reads ${frame.secret} and sends over the network (${send.label}) in the same function`,
			{ severity: 'medium', confidence: 'low' },
		);
	}

	assign(node: Node, frame: Frame): void {
		const taint = frame.taint;
		const fields = ASSIGNMENTS[node.type];
		let target: Node | null = null;
		let value: Node | null = null;
		if (fields !== undefined) {
			target = node.childForFieldName(fields[0]);
			value = node.childForFieldName(fields[1]);
		} else if (node.type === 'as_pattern') {
			value = node.namedChild(0);
			target = node.childForFieldName('alias');
		}
		if (target === null || value === null) return;
		const taken = this.taintOf(value, taint);
		const label = taken.label;
		let bits = taken.bits;
		// Data taints flow through any expression; "this is a connection (or a process)" only
		// through the call that made it or a plain alias, not into whatever is computed from it.
		if (bits & OBJECT_BITS && !this.isObjectValue(value)) bits &= ~OBJECT_BITS;
		if (bits & BIT.secret) frame.secret ??= label;
		if (bits === 0) return;
		for (const name of targetNames(target)) {
			const previous = taint.get(name);
			taint.set(name, { bits: bits | (previous?.bits ?? 0), label: previous?.label || label });
		}
	}

	private isObjectValue(value: Node): boolean {
		let node = value;
		if (node.type === 'await_expression' || node.type === 'parenthesized_expression') {
			node = node.namedChild(0) ?? node;
		}
		if (NAME_NODES.has(node.type)) return true;
		return this.file.sources.some(
			(source) =>
				(source.kind === 'netobj' || source.kind === 'process') &&
				source.start === node.startIndex &&
				source.end === node.endIndex,
		);
	}

	private frame(end: number, taint: Taint, scope: Scope | undefined, scopes: ScopeIndex): Frame {
		// A secret read directly in this function (not in a nested one) counts as read here.
		const direct = this.file.sources.find(
			(source) =>
				source.kind === 'secret' &&
				scopes.contains(scope, source.start) &&
				scopes.innermost(source.start) === scope,
		);
		return { end, taint, secret: direct?.label, sends: [], traced: false };
	}

	/** Walks one scope in source order; nested functions see a copy of the enclosing taint. */
	run(root: Node, scopes: ScopeIndex): void {
		const rootScope = scopes.scopes.find(
			(scope) => scope.start === root.startIndex && scope.end === root.endIndex,
		);
		const stack: Frame[] = [this.frame(Number.POSITIVE_INFINITY, new Map(), rootScope, scopes)];
		const bodies = new Map(scopes.scopes.map((scope) => [`${scope.start}:${scope.end}`, scope]));
		const cursor = root.walk();
		let seen = 0;
		walk(cursor, () => {
			if (++seen % 1024 === 0) this.deadline();
			if (seen > MAX_SCOPE_NODES) return false;
			const node = cursor.currentNode;
			const start = node.startIndex;
			while (stack.length > 1 && (stack[stack.length - 1] as Frame).end <= start) {
				this.finish(stack.pop() as Frame);
			}
			const top = stack[stack.length - 1] as Frame;
			const body = node.id === root.id ? undefined : bodies.get(`${start}:${node.endIndex}`);
			if (body !== undefined) {
				stack.push(this.frame(node.endIndex, new Map(top.taint), body, scopes));
			}
			const current = stack[stack.length - 1] as Frame;
			const type = node.type;
			if (type in ASSIGNMENTS || type === 'as_pattern') this.assign(node, current);
			if (CALLS.has(type)) this.checkCall(node, current);
			return true;
		});
		cursor.delete();
		for (const frame of stack.reverse()) this.finish(frame);
	}
}

const PARTNERS: Readonly<
	Record<SourceKind, (file: FileState, scope: Scope | undefined, scopes: ScopeIndex) => boolean>
> = {
	secret: (file, scope, scopes) =>
		file.sinks.some((s) => s.kind === 'network' && scopes.contains(scope, s.call.startIndex)) ||
		file.sources.some((s) => s.kind === 'netobj' && scopes.contains(scope, s.start)),
	decoded: (file, scope, scopes) =>
		file.sinks.some((s) => s.kind === 'exec' && scopes.contains(scope, s.call.startIndex)),
	netobj: (file, scope, scopes) =>
		file.sinks.some((s) => s.kind === 'shell-wire' && scopes.contains(scope, s.call.startIndex)) ||
		file.sources.some((s) => s.kind === 'process' && scopes.contains(scope, s.start)),
	process: () => false,
};

/** Runs the flow pass over every scope where a source has a partner sink. */
export function runFlows(
	file: FileState,
	root: Node,
	scopes: ScopeIndex,
	deadline: () => void,
): void {
	if (file.sources.length === 0) return;
	const walker = new Walker(file, deadline);
	const roots = new Map<string, Node>();
	for (const source of file.sources) {
		const scope = scopes.innermost(source.start);
		const key = scope === undefined ? 'module' : `${scope.start}:${scope.end}`;
		if (roots.has(key)) continue;
		if (PARTNERS[source.kind](file, scope, scopes)) roots.set(key, scope?.node ?? root);
	}
	// An enclosing scope's walk covers the ones inside it.
	const chosen = [...roots.values()].filter(
		(node) =>
			![...roots.values()].some(
				(other) =>
					other !== node &&
					other.startIndex <= node.startIndex &&
					node.endIndex <= other.endIndex &&
					(other.startIndex !== node.startIndex || other.endIndex !== node.endIndex),
			),
	);
	for (const node of chosen) walker.run(node, scopes);
}
