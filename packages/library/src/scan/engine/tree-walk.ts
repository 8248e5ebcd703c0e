/**
 * Downward walks over syntax trees with a cursor: no recursion (a hostile file can nest
 * thousands deep) and no parent lookups (each costs a descent from the root).
 */
import type { Node, TreeCursor } from 'web-tree-sitter';

/** Nodes that name a variable or a dotted path (`x`, `self.x`, `obj.prop`). */
export const NAME_NODES: ReadonlySet<string> = new Set([
	'identifier',
	'attribute',
	'member_expression',
]);

/** Names assigned by a target: `x`, `self.x`, `a, b`, `{ a, b: c }`. */
export function targetNames(target: Node): string[] {
	if (NAME_NODES.has(target.type)) return [target.text];
	const names: string[] = [];
	const cursor = target.walk();
	walk(cursor, () => {
		if (
			cursor.nodeType === 'identifier' ||
			cursor.nodeType === 'shorthand_property_identifier_pattern'
		) {
			names.push(cursor.nodeText);
		}
		return names.length < 64;
	});
	cursor.delete();
	return names;
}

/** Pre-order walk with a cursor (no recursion, no parent lookups); `visit` false stops. */
export function walk(cursor: TreeCursor, visit: () => boolean): void {
	for (;;) {
		if (!visit()) return;
		if (cursor.gotoFirstChild()) continue;
		for (;;) {
			if (cursor.gotoNextSibling()) break;
			if (!cursor.gotoParent()) return;
		}
	}
}
