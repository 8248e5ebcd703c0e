/**
 * The flow pass: connects sources and sinks the rules recorded. A source reaches a sink when
 * it sits inside the sink's arguments, or when a variable assigned from it (directly or through
 * other assignments, in source order) is passed to the sink. Closures see the variables of the
 * function around them, and a JavaScript callback's assignment to an outer variable is seen
 * after it. The file's own functions are summarised as they are walked (what their return
 * value carries, which sinks their parameters reach, which are network callbacks), and the
 * file is walked again while the summaries grow, at most `MAX_ROUNDS` times, so a flow split
 * across helper functions is still connected. That is enough for the shapes that matter (a
 * secret sent out, decoded or downloaded code executed, a socket handed to a shell) without a
 * full interpreter.
 */
import type { Node } from 'web-tree-sitter';
import type { RuleId } from '../rules/catalog.ts';
import type { FileState, FlowSink, FlowSource } from './file-context.ts';
import {
	argumentValues,
	BIT,
	calleeKey,
	commandParts,
	declaredName,
	FEEDING_METHODS,
	FILLING_METHODS,
	flowMessage,
	isFunctionLiteral,
	OBJECT_BITS,
	PAIRS,
	parameterNames,
	SOURCE_BIT,
	Summaries,
} from './flow-facts.ts';
import type { Scope, ScopeIndex } from './scopes.ts';
import { NAME_NODES, targetNames, walk } from './tree-walk.ts';

/** Nodes looked at when judging one expression; bounds hostile, giant expressions. */
const MAX_EXPRESSION_NODES = 5000;
/** Nodes walked for one file in one round. */
const MAX_SCOPE_NODES = 200_000;
/** Walks of one file: the first, then more only while the function summaries grow. */
const MAX_ROUNDS = 3;

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

/** JavaScript assignments that write a variable of an enclosing function, not declare one. */
const OUTWARD = new Set(['assignment_expression', 'augmented_assignment_expression']);

const CALLS = new Set(['call', 'call_expression', 'new_expression']);

/** `.on('entry', ...)` of an unzip or tar stream: the handler is given each member. */
function isEntryEvent(call: Node, args: Node | null): boolean {
	const callee = call.childForFieldName('function');
	if (callee?.type !== 'member_expression') return false;
	const method = callee.childForFieldName('property')?.text;
	if (method !== 'on' && method !== 'once') return false;
	return /^['"`]entry['"`]$/.test(args?.namedChild(0)?.text ?? '');
}

/** Checks that keep a written path inside its destination. */
const PATH_GUARD =
	/\bcommonpath\b|\bis_relative_to\b|\.relative_to\(|\bbasename\b|\bsecure_filename\b|\.startswith\(|\.startsWith\(|\bpath\.relative\(|\bfilter\s*=\s*['"](?:data|tar)['"]/;

/** What a connection says about itself, not what it received. */
const METADATA =
	/\.\s*(?:getsockname|getpeername|gettimeout|getsockopt|getcode|geturl|status(?:_code)?|address|remoteAddress|remotePort|localPort)\b/;

type Taint = Map<string, { bits: number; label: string }>;

/** One function (or the module) while it is walked. */
interface Frame {
	/** Where the function body starts and ends. */
	start: number;
	end: number;
	/** The function's name, for its summary. */
	name: string | undefined;
	taint: Taint;
	/** A secret was read or used here. */
	secret: string | undefined;
	/** Network sends made here. */
	sends: { call: Node; label: string }[];
	/** A traced exfiltration was already reported here. */
	traced: boolean;
}

/** The first index of `sorted` (by start) whose start is at least `start`. */
function firstFrom(sorted: readonly { start: number }[], start: number): number {
	let low = 0;
	let high = sorted.length;
	while (low < high) {
		const middle = (low + high) >>> 1;
		if ((sorted[middle] as { start: number }).start < start) low = middle + 1;
		else high = middle;
	}
	return low;
}

class Walker {
	private readonly sinksAt = new Map<string, FlowSink[]>();
	/** Sources and sink calls by start, so one expression's are found by a binary search. */
	private readonly sources: FlowSource[];
	private readonly sinkStarts: { start: number }[];
	private readonly objectSources = new Set<string>();
	private readonly netCalls = new Set<string>();
	/** Rounds walked so far. */
	round = 0;
	/** Function literals passed to a network call, by start: their parameters are its replies. */
	private readonly pendingParams = new Map<number, number>();
	/** Names given to function literals by the assignment that holds them. */
	private readonly literalNames = new Map<number, string>();
	private readonly reported = new Set<string>();
	readonly summaries = new Summaries();
	/** Names the file's calls use (`f(...)`, `self.f(...)`): only their summaries matter. */
	readonly called = new Set<string>();
	/** Names of the file's functions, as summaries know them. */
	readonly defined = new Set<string>();

	constructor(
		private readonly file: FileState,
		private readonly deadline: () => void,
	) {
		for (const sink of file.sinks) {
			const key = `${sink.call.startIndex}:${sink.call.endIndex}`;
			this.sinksAt.set(key, [...(this.sinksAt.get(key) ?? []), sink]);
		}
		for (const source of file.sources) {
			const key = `${source.start}:${source.end}`;
			if (source.kind === 'netobj') this.netCalls.add(key);
			if (source.kind === 'netobj' || source.kind === 'process') this.objectSources.add(key);
		}
		this.sources = [...file.sources].sort((a, b) => a.start - b.start);
		this.sinkStarts = file.sinks
			.map((sink) => ({ start: sink.call.startIndex }))
			.sort((a, b) => a.start - b.start);
	}

	/** A sink call starts inside the range: a parameter of a function there may reach it. */
	private hasSinkIn(start: number, end: number): boolean {
		const found = this.sinkStarts[firstFrom(this.sinkStarts, start)];
		return found !== undefined && found.start < end;
	}

	/** Kinds reaching `node`: sources inside it, tainted names and summarised calls in it. */
	taintOf(node: Node, taint: Taint): { bits: number; label: string } {
		let bits = 0;
		let label = '';
		const end = node.endIndex;
		for (let i = firstFrom(this.sources, node.startIndex); i < this.sources.length; i++) {
			const source = this.sources[i] as FlowSource;
			if (source.start >= end) break;
			if (source.end <= end) {
				bits |= SOURCE_BIT[source.kind];
				label ||= source.label;
			}
		}
		const returns = this.summaries.returns;
		if (taint.size === 0 && returns.size === 0) return { bits, label };
		const cursor = node.walk();
		let seen = 0;
		walk(cursor, () => {
			if (++seen > MAX_EXPRESSION_NODES) return false;
			const type = cursor.nodeType;
			if (NAME_NODES.has(type)) {
				const hit = taint.get(cursor.nodeText);
				if (hit !== undefined) {
					bits |= hit.bits;
					// A parameter's own name says nothing about what reached it.
					if (hit.bits !== BIT.param) label ||= hit.label;
				}
			} else if (returns.size > 0 && CALLS.has(type)) {
				const callee = cursor.currentNode.childForFieldName('function');
				const key = calleeKey(callee);
				const returned = key === undefined ? undefined : returns.get(key);
				if (returned !== undefined) {
					bits |= returned;
					label ||= `${key}()`;
				}
			}
			return true;
		});
		cursor.delete();
		return { bits, label };
	}

	report(rule: RuleId, call: Node, label: string, target: string, bits: number): void {
		const key = `${rule}:${call.startIndex}`;
		if (this.reported.has(key)) return;
		this.reported.add(key);
		this.file.report(rule, call, flowMessage(rule, label, target, bits));
	}

	/**
	 * Connects what reaches a sink of `kind` (the bits of `mask` only); a parameter reaching it
	 * is a summary of the function.
	 */
	private reach(
		kind: FlowSink['kind'],
		call: Node,
		args: Node | readonly Node[],
		target: string,
		frame: Frame,
		mask = -1,
	) {
		let bits = 0;
		let label = '';
		for (const node of Array.isArray(args) ? args : [args as Node]) {
			const found = this.taintOf(node, frame.taint);
			bits |= found.bits & mask;
			if (found.bits & mask) label ||= found.label;
		}
		if (bits & BIT.secret) frame.secret ??= label;
		if (kind === 'network') frame.sends.push({ call, label: target });
		if (bits & BIT.param && frame.name !== undefined) {
			this.summaries.addParamSink(frame.name, kind);
		}
		for (const pair of PAIRS) {
			if (pair.sink === kind && bits & pair.bits) {
				this.report(pair.rule, call, label, target, bits);
				if (pair.rule === 'exfiltration') frame.traced = true;
			}
		}
	}

	/** Registered sinks, calls of summarised functions, and sends on connection objects. */
	checkCall(call: Node, frame: Frame): void {
		const taint = frame.taint;
		const sinks = this.sinksAt.get(`${call.startIndex}:${call.endIndex}`) ?? [];
		for (const sink of sinks) this.reachSink(sink, call, frame);
		const callee = call.childForFieldName('function') ?? call.childForFieldName('constructor');
		const args = call.childForFieldName('arguments');
		const key = calleeKey(callee);
		if (key !== undefined) this.called.add(key);
		const kinds = key === undefined ? undefined : this.summaries.paramSinks.get(key);
		if (kinds !== undefined && args !== null) {
			for (const kind of kinds) this.reach(kind, call, args, `${key}()`, frame);
		}
		const isMember =
			callee !== null && (callee.type === 'attribute' || callee.type === 'member_expression');
		const holder = isMember ? callee.childForFieldName('object') : null;
		const holderBits = holder === null ? 0 : this.taintOf(holder, taint).bits;
		this.markCallbacks(call, args, holderBits);
		if (holder === null || args === null || callee === null) return;
		const method = callee.childForFieldName(callee.type === 'attribute' ? 'attribute' : 'property');
		const passed = this.taintOf(args, taint);
		if (passed.bits & BIT.secret) frame.secret ??= passed.label;
		const target = `${holder.text}.${method?.text ?? ''}`;
		if (holderBits & BIT.netobj) {
			frame.sends.push({ call, label: target });
			if (passed.bits & BIT.secret) {
				this.report('exfiltration', call, passed.label, target, passed.bits);
				frame.traced = true;
			}
		}
		const name = method?.text ?? '';
		// `socket.pipe(shell.stdin)`, `shell.stdout.pipe(socket)`, `shell.stdin.write(received)`.
		const both = holderBits | passed.bits;
		const wired =
			(name === 'pipe' && both & BIT.netobj && both & BIT.process) ||
			(FEEDING_METHODS.has(name) &&
				holderBits & BIT.process &&
				passed.bits & (BIT.netobj | BIT.remote));
		if (wired) this.report('reverse-shell', call, passed.label, 'a process', passed.bits);
		// `chunks.append(part)`: the list now holds the received or decoded data put in it.
		// Secrets are left to the plugin-level judgement: lists of URLs built with the host name
		// are common in honest code.
		const filled = passed.bits & (BIT.remote | BIT.decoded);
		if (FILLING_METHODS.has(name) && holder.type === 'identifier' && filled) {
			this.taintName(taint, holder.text, filled, passed.label);
		}
	}

	private reachSink(sink: FlowSink, call: Node, frame: Frame): void {
		const args = sink.args ?? call;
		if (sink.kind === 'exec' && sink.label === 'getattr') {
			// getattr of a decoded name is hidden; of a received one it is how servers dispatch
			// commands (`getattr(self, 'do_' + command)`), and it runs no code by itself.
			this.reach(sink.kind, call, args, sink.label, frame, BIT.decoded);
		} else if (sink.kind === 'shell-wire') {
			// The connection itself anywhere in the call; received or decoded data only where it
			// is the command or a standard stream. os.dup2 moves descriptors, it runs nothing.
			this.reach(sink.kind, call, args, sink.label, frame, BIT.netobj | BIT.param | BIT.secret);
			const data = sink.label.endsWith('dup2') ? 0 : BIT.remote | BIT.decoded;
			if (data !== 0) this.reach(sink.kind, call, commandParts(sink.args), sink.label, frame, data);
		} else if (sink.kind === 'write-path') {
			// A function that checks where the path leads (`commonpath`, `is_relative_to`,
			// `startswith`, a basename) is the careful way to write received names: left quiet.
			const body = this.file.text.slice(frame.start, Math.min(frame.end, this.file.text.length));
			if (PATH_GUARD.test(body)) return;
			this.reach(sink.kind, call, args, sink.label, frame, BIT.entry | BIT.remote | BIT.netobj);
		} else this.reach(sink.kind, call, args, sink.label, frame);
	}

	/**
	 * A function given to a network call (`https.get(url, (res) => ...)`,
	 * `res.on('data', (chunk) => ...)`, `handler=self.got`) is called with what the network
	 * sends: its parameters carry it.
	 */
	private markCallbacks(call: Node, args: Node | null, holderBits: number): void {
		// `zip.on('entry', (entry) => ...)`: unzip and tar streams hand each member to the handler.
		if (isEntryEvent(call, args)) {
			for (const value of argumentValues(args)) {
				if (isFunctionLiteral(value)) {
					const given = this.pendingParams.get(value.startIndex) ?? 0;
					this.pendingParams.set(value.startIndex, given | BIT.entry);
				}
			}
		}
		const fromNetwork =
			this.netCalls.has(`${call.startIndex}:${call.endIndex}`) ||
			(holderBits & (BIT.netobj | BIT.remote)) !== 0;
		if (!fromNetwork) return;
		for (const value of argumentValues(args)) {
			if (isFunctionLiteral(value)) {
				const given = this.pendingParams.get(value.startIndex) ?? 0;
				this.pendingParams.set(value.startIndex, given | BIT.netobj);
			} else {
				const key = calleeKey(value);
				if (key !== undefined) this.summaries.addCallback(key, BIT.netobj);
			}
		}
	}

	private taintName(taint: Taint, name: string, bits: number, label: string): void {
		const previous = taint.get(name);
		taint.set(name, { bits: bits | (previous?.bits ?? 0), label: previous?.label || label });
	}

	/**
	 * A function that reads a secret and sends over the network, without a path the pass could
	 * follow (through a file copy, a database, a global): reported, but less certain.
	 */
	finish(frame: Frame): void {
		const send = frame.sends[0];
		if (frame.traced || frame.secret === undefined || send === undefined) return;
		const key = `exfiltration-near:${send.call.startIndex}`;
		if (this.reported.has(key)) return;
		this.reported.add(key);
		this.file.report(
			'exfiltration',
			send.call,
			`reads ${frame.secret} and sends over the network (${send.label}) in the same function`,
			{ severity: 'medium', confidence: 'low' },
		);
	}

	assign(node: Node, stack: Frame[]): void {
		const frame = stack[stack.length - 1] as Frame;
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
		if (isFunctionLiteral(value) && NAME_NODES.has(target.type)) {
			this.literalNames.set(value.startIndex, target.text.replace(/^.*\./, ''));
		}
		const taken = this.taintOf(value, frame.taint);
		const label = taken.label;
		let bits = taken.bits;
		// "This is a connection (or a process)" flows only through the call that made it or a
		// plain alias; what is computed from a connection (`sock.recv()`, `res.text()`) is data
		// it received.
		if (bits & OBJECT_BITS && !this.isObjectValue(value)) {
			// A connection's own address, status or options are not what it received.
			if (bits & BIT.netobj && !METADATA.test(value.text)) bits |= BIT.remote;
			bits &= ~OBJECT_BITS;
		}
		if (bits & BIT.secret) frame.secret ??= label;
		if (bits === 0) return;
		const frames = OUTWARD.has(node.type) ? stack : [frame];
		for (const name of targetNames(target)) {
			for (const each of frames) this.taintName(each.taint, name, bits, label);
		}
	}

	private isObjectValue(value: Node): boolean {
		let node = value;
		if (node.type === 'await_expression' || node.type === 'parenthesized_expression') {
			node = node.namedChild(0) ?? node;
		}
		if (NAME_NODES.has(node.type)) return true;
		return this.objectSources.has(`${node.startIndex}:${node.endIndex}`);
	}

	private frame(scope: Scope | undefined, scopes: ScopeIndex, outer: Taint): Frame {
		// A closure sees the enclosing function's variables, but not its parameters as its own.
		const taint: Taint = new Map();
		for (const [name, hit] of outer) {
			const bits = hit.bits & ~BIT.param;
			if (bits !== 0) taint.set(name, { bits, label: hit.label });
		}
		const fn = scope?.fn;
		const name =
			fn === undefined
				? undefined
				: (declaredName(fn) ?? this.literalNames.get(fn.startIndex) ?? undefined);
		if (name !== undefined) this.defined.add(name);
		if (fn !== undefined) {
			const given =
				(this.pendingParams.get(fn.startIndex) ?? 0) |
				(name === undefined ? 0 : (this.summaries.callbacks.get(name) ?? 0));
			// Parameters are followed where they can reach something: a sink in the body, or (once
			// the first walk has summarised them) a call of a function whose parameters do.
			const summarise =
				scope !== undefined &&
				(this.hasSinkIn(scope.start, scope.end) ||
					(this.round > 0 && this.summaries.paramSinks.size > 0));
			if (summarise || given !== 0) {
				for (const param of parameterNames(fn)) {
					const bits = (summarise ? BIT.param : 0) | given;
					const label = given & BIT.entry ? 'an archive entry' : given ? 'a network reply' : param;
					this.taintName(taint, param, bits, label);
				}
			}
		}
		// A secret read directly in this function (not in a nested one) counts as read here.
		let direct: FlowSource | undefined;
		const from = scope === undefined ? 0 : firstFrom(this.sources, scope.start);
		for (let i = from; i < this.sources.length && direct === undefined; i++) {
			const source = this.sources[i] as FlowSource;
			if (scope !== undefined && source.start >= scope.end) break;
			if (source.kind === 'secret' && scopes.innermost(source.start) === scope) direct = source;
		}
		return {
			start: scope?.start ?? 0,
			end: scope?.end ?? Number.POSITIVE_INFINITY,
			name,
			taint,
			secret: direct?.label,
			sends: [],
			traced: false,
		};
	}

	/** What a function gives back: `return x`, or the body of an arrow or a lambda. */
	private noteReturn(value: Node | null, frame: Frame): void {
		if (value === null || frame.name === undefined) return;
		const bits = this.taintOf(value, frame.taint).bits & ~BIT.param;
		if (bits !== 0) this.summaries.addReturn(frame.name, bits);
	}

	/** Walks the file in source order; nested functions see a copy of the enclosing taint. */
	run(root: Node, scopes: ScopeIndex): void {
		const stack: Frame[] = [this.frame(undefined, scopes, new Map())];
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
			const body = node.id === root.id ? undefined : bodies.get(`${start}:${node.endIndex}`);
			if (body !== undefined) {
				const inner = this.frame(body, scopes, (stack[stack.length - 1] as Frame).taint);
				stack.push(inner);
				// An arrow's or a lambda's expression body is its return value.
				if (body.fn !== undefined && body.fn.type !== 'function_definition') {
					if (node.type !== 'statement_block') this.noteReturn(node, inner);
				}
			}
			const current = stack[stack.length - 1] as Frame;
			const type = node.type;
			if (type in ASSIGNMENTS || type === 'as_pattern') this.assign(node, stack);
			else if (CALLS.has(type)) this.checkCall(node, current);
			else if (type === 'return_statement') this.noteReturn(node.namedChild(0), current);
			return true;
		});
		cursor.delete();
		for (const frame of stack.reverse()) this.finish(frame);
	}
}

/**
 * Whether the file holds a source and a sink that could make a finding together; most files
 * do not, and are not walked. Any data source can reach any sink through a file function that
 * returns it, so this is by kind, not by place.
 */
function canPair(file: FileState): boolean {
	let sources = 0;
	for (const source of file.sources) sources |= SOURCE_BIT[source.kind];
	let sinks = 0;
	for (const sink of file.sinks) sinks |= SINK_BIT[sink.kind];
	if (sources & BIT.secret && sinks & SINK_BIT.network) return true;
	if (sources & BIT.decoded && sinks & (SINK_BIT.exec | SINK_BIT['shell-wire'])) return true;
	if (sources & BIT.netobj && sinks & (SINK_BIT.exec | SINK_BIT['shell-wire'])) return true;
	// Unzip streams name their members in callbacks (`.on('entry', ...)`), not as sources.
	if (
		sinks & SINK_BIT['write-path'] &&
		(sources & (BIT.netobj | BIT.entry) || /['"]entry['"]/.test(file.text))
	) {
		return true;
	}
	// `socket.pipe(shell.stdin)`, `shell.stdin.write(received)`.
	return (sources & (BIT.netobj | BIT.process)) === (BIT.netobj | BIT.process);
}

const SINK_BIT: Readonly<Record<FlowSink['kind'], number>> = {
	network: 1,
	exec: 2,
	'shell-wire': 4,
	'write-path': 8,
};

/** Runs the flow pass over a file that has a source and something it could reach. */
export function runFlows(
	file: FileState,
	root: Node,
	scopes: ScopeIndex,
	deadline: () => void,
): void {
	if (!canPair(file)) return;
	const walker = new Walker(file, deadline);
	for (; walker.round < MAX_ROUNDS; walker.round++) {
		walker.summaries.clearChanged();
		walker.run(root, scopes);
		if (!mayGain(walker)) break;
	}
}

/**
 * Whether another walk can find more: a summary that grew belongs to a function the file calls
 * (its callers may now connect), or to a function now known to be a network callback (its
 * parameters now carry replies). A summary of a function nothing calls changes nothing, and
 * most files with a sink in a function are like that.
 */
function mayGain(walker: Walker): boolean {
	const { calledChanged, definedChanged } = walker.summaries;
	for (const name of calledChanged) if (walker.called.has(name)) return true;
	for (const name of definedChanged) if (walker.defined.has(name)) return true;
	return false;
}
