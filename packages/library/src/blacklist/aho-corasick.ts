/**
 * Aho–Corasick over UTF-16 code units: finds every occurrence of many literals in one pass
 * over a text, in time linear in the text plus the matches. It is what lets the blacklist
 * skip the patterns whose required literals a URL does not contain.
 */

export interface AhoCorasick {
	/** Calls `onMatch(id)` for each occurrence of pattern `id` (ids index the build array). */
	scan(text: string, onMatch: (id: number) => void): void;
}

/** Transitions of all nodes in one map, keyed by node and code unit, to keep nodes light. */
function edgeKey(node: number, code: number): number {
	return node * 0x10000 + code;
}

export function buildAhoCorasick(patterns: readonly string[]): AhoCorasick {
	const edges = new Map<number, number>();
	// Children of each node, kept for the breadth-first pass that sets failure links.
	const children: number[][] = [[]];
	const outputs: number[][] = [[]];
	for (const [id, pattern] of patterns.entries()) {
		if (pattern.length === 0) continue;
		let node = 0;
		for (let i = 0; i < pattern.length; i++) {
			const key = edgeKey(node, pattern.charCodeAt(i));
			let next = edges.get(key);
			if (next === undefined) {
				next = children.length;
				edges.set(key, next);
				children.push([]);
				outputs.push([]);
				(children[node] as number[]).push(next);
			}
			node = next;
		}
		(outputs[node] as number[]).push(id);
	}

	const nodeCount = children.length;
	const fail = new Int32Array(nodeCount);
	// The nearest node on the failure chain that ends a pattern (-1: none), so a scan reports
	// every pattern ending at a position without walking the whole chain.
	const outputLink = new Int32Array(nodeCount).fill(-1);
	const codes = new Uint16Array(nodeCount);
	for (const [key, node] of edges) codes[node] = key % 0x10000;

	const queue: number[] = [...(children[0] as number[])];
	for (let head = 0; head < queue.length; head++) {
		const node = queue[head] as number;
		for (const child of children[node] as number[]) {
			const code = codes[child] as number;
			// The longest proper suffix of the child's string that is also in the trie. (Root
			// children keep the default: they fail to the root and end no other pattern.)
			let link = fail[node] as number;
			let target: number | undefined;
			for (;;) {
				target = edges.get(edgeKey(link, code));
				if (target !== undefined || link === 0) break;
				link = fail[link] as number;
			}
			target ??= 0;
			fail[child] = target;
			outputLink[child] =
				(outputs[target] as number[]).length > 0 ? target : (outputLink[target] as number);
			queue.push(child);
		}
	}

	return {
		scan(text, onMatch) {
			let node = 0;
			for (let i = 0; i < text.length; i++) {
				const code = text.charCodeAt(i);
				for (;;) {
					const next = edges.get(edgeKey(node, code));
					if (next !== undefined) {
						node = next;
						break;
					}
					if (node === 0) break;
					node = fail[node] as number;
				}
				for (let out = node; out > 0; out = outputLink[out] as number) {
					for (const id of outputs[out] as number[]) onMatch(id);
				}
			}
		},
	};
}
