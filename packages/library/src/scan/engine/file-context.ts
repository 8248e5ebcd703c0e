/**
 * The state of one file while its rules run: name resolution, the findings reported so far,
 * and the data-flow facts the flow pass connects afterwards.
 */
import type { Node } from 'web-tree-sitter';
import { sanitizeText } from '../../core/sanitize.ts';
import { type RuleId, ruleInfo } from '../rules/catalog.ts';
import { type Confidence, type Severity, severityRank } from '../severity.ts';
import type { Finding, SourceLanguage } from '../types.ts';
import {
	type FileContext,
	familyOf,
	type ReportOptions,
	type SinkKind,
	type SourceKind,
} from './matcher.ts';
import { Bindings, createNameResolver, type NameResolver, shadowPattern } from './names.ts';
import { isConstant, stringValue } from './syntax.ts';
import { createTransformReader } from './transforms.ts';

export interface RawFinding {
	ruleId: RuleId;
	start: number;
	end: number;
	message: string;
	severity?: Severity;
	confidence?: Confidence;
	deferred?: boolean;
}

export interface FlowSource {
	start: number;
	end: number;
	kind: SourceKind;
	label: string;
}

export interface FlowSink {
	call: Node;
	args: Node | null;
	kind: SinkKind;
	label: string;
}

export interface FileState extends FileContext {
	readonly bindings: Bindings;
	readonly names: NameResolver;
	/** The findings listed so far (at most MAX_FINDINGS_PER_RULE of each rule). */
	readonly findings: RawFinding[];
	/** The listed findings, then one per rule that had more, counting the rest. */
	finish(): RawFinding[];
	readonly sources: FlowSource[];
	readonly sinks: FlowSink[];
}

/** Longest message or snippet kept; the rest is cut with an ellipsis. */
const MAX_TEXT = 200;

/**
 * Occurrences of one rule listed per file. A file with a finding on every line would
 * otherwise make a report of millions of entries and exhaust memory; past the bound the rest
 * are counted into one more finding, at the worst severity among them.
 */
export const MAX_FINDINGS_PER_RULE = 50;

interface Overflow {
	first: RawFinding;
	count: number;
}

function worse(a: RawFinding, b: RawFinding): boolean {
	const rank = (f: RawFinding) => severityRank(f.severity ?? ruleInfo(f.ruleId).severity);
	return rank(a) > rank(b);
}

export function createFileState(path: string, language: SourceLanguage, text: string): FileState {
	const family = familyOf(language);
	const bindings = new Bindings();
	const names = createNameResolver(family, bindings);
	const transforms = createTransformReader(family, bindings, (node) => names.nameOf(node));
	const shadowed = new Map<string, boolean>();
	const seen = new Set<string>();
	const findings: RawFinding[] = [];
	const listed = new Map<RuleId, number>();
	const overflow = new Map<RuleId, Overflow>();
	const sources: FlowSource[] = [];
	const sinks: FlowSink[] = [];
	const reportRange: FileContext['reportRange'] = (rule, start, end, message, options = {}) => {
		// Two patterns can reach one node (a call and its callee); report it once.
		const key = `${rule}:${start}`;
		if (seen.has(key)) return;
		seen.add(key);
		const count = listed.get(rule) ?? 0;
		if (count >= MAX_FINDINGS_PER_RULE) {
			const more = overflow.get(rule);
			const raw: RawFinding = { ruleId: rule, start, end, message: '', ...options };
			if (more === undefined) overflow.set(rule, { first: raw, count: 1 });
			else {
				more.count++;
				if (worse(raw, more.first)) more.first = raw;
			}
			return;
		}
		listed.set(rule, count + 1);
		findings.push({
			ruleId: rule,
			start,
			end,
			message: sanitizeText(message, { maxLength: MAX_TEXT }),
			...options,
		});
	};
	const finish = (): RawFinding[] => {
		const all = [...findings];
		for (const { first, count } of overflow.values()) {
			all.push({
				...first,
				message: `${count} more like this in the file, not listed (the first ${MAX_FINDINGS_PER_RULE} are)`,
			});
		}
		return all;
	};
	return {
		path,
		language,
		family,
		text,
		bindings,
		names,
		findings,
		finish,
		sources,
		sinks,
		nameOf: (node) => names.nameOf(node),
		isResolved: (node) => names.isResolvedRoot(node),
		isShadowed(name) {
			let known = shadowed.get(name);
			if (known === undefined) {
				known = shadowPattern(family, name).test(text);
				shadowed.set(name, known);
			}
			return known;
		},
		stringValue: (node) => stringValue(node, family),
		isConstant: (node) => isConstant(node, family),
		transformOf: (node) => transforms.of(node),
		foldString: (node) => transforms.fold(node),
		report(rule: RuleId, node: Node, message: string, options: ReportOptions = {}) {
			reportRange(rule, node.startIndex, node.endIndex, message, options);
		},
		reportRange,
		flowSource(node, kind, label) {
			sources.push({ start: node.startIndex, end: node.endIndex, kind, label });
		},
		flowSink(call, args, kind, label) {
			sinks.push({ call, args, kind, label });
		},
	};
}

/** Offsets where each line starts, for turning string indexes into lines and columns. */
export function lineStarts(text: string): number[] {
	const starts = [0];
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
	return starts;
}

function lineOf(starts: readonly number[], index: number): number {
	let low = 0;
	let high = starts.length - 1;
	while (low < high) {
		const mid = (low + high + 1) >> 1;
		if ((starts[mid] as number) <= index) low = mid;
		else high = mid - 1;
	}
	return low;
}

/** The line holding `index`, or a window around it when the line is long (minified code). */
function snippetAt(text: string, starts: readonly number[], line: number, index: number): string {
	const from = starts[line] as number;
	const next = starts[line + 1];
	const to = next === undefined ? text.length : next - 1;
	let slice = text.slice(from, to);
	let prefix = '';
	if (slice.length > MAX_TEXT) {
		const offset = Math.max(0, index - from - 60);
		slice = slice.slice(offset, offset + MAX_TEXT);
		prefix = offset > 0 ? '…' : '';
	}
	return sanitizeText(`${prefix}${slice.trim()}`, { maxLength: MAX_TEXT });
}

/** Turns a file's raw findings into report findings with positions and code lines. */
export function toFindings(
	path: string,
	text: string,
	raw: readonly RawFinding[],
	starts: readonly number[] = lineStarts(text),
): Finding[] {
	return raw.map((item) => {
		const info = ruleInfo(item.ruleId);
		const line = lineOf(starts, item.start);
		const endLine = lineOf(starts, Math.max(item.start, item.end - 1));
		const finding: Finding = {
			ruleId: item.ruleId,
			category: info.category,
			severity: item.severity ?? info.severity,
			confidence: item.confidence ?? info.confidence,
			message: item.message,
			why: info.why,
			fix: info.fix,
			file: path,
			line: line + 1,
			column: item.start - (starts[line] as number) + 1,
			endLine: endLine + 1,
			endColumn: Math.max(item.start, item.end) - (starts[endLine] as number) + 1,
			snippet: snippetAt(text, starts, line, item.start),
		};
		if (info.capability !== undefined) finding.capability = info.capability;
		return finding;
	});
}
