/**
 * The primitive changes of `operations.ts`, made on TOML text. Only the statements a change
 * is about are replaced, inserted or removed; every other line is left exactly as it was.
 *
 * A `[[plugins]]` block runs from its header to the next header that is not one of its own
 * sub-tables (`[plugins.name_i18n]`, `[[plugins.changes]]`); comment lines directly above a
 * header belong to that block, and blank lines and comments at the end of a block introduce
 * the next one. Blacklist entries are `[[blacklist]]` blocks read the same way.
 */
import { registryError } from '../errors.ts';
import type { RegistryEditOp, TomlTable } from './operations.ts';
import { type Statement, scanToml, trailingComment } from './toml-scan.ts';
import { isTableValue, keyValueLines, type TomlValue, tableLines } from './toml-write.ts';

interface Block {
	/** First line, comments directly above the header included. */
	lead: number;
	header: number;
	/** After the last key or header line of the block. */
	contentEnd: number;
	/** After the block's own keys, before its first sub-table. */
	keysEnd: number;
	/** Statements of the block, sub-tables included. */
	statements: Statement[];
}

export function applyToToml(text: string, op: RegistryEditOp): string {
	const newline = text.includes('\r\n') ? '\r\n' : '\n';
	const lines = text.split(/\r?\n/);
	switch (op.op) {
		case 'set-plugin-key':
			setKey(lines, blockAt(lines, 'plugins', op.index), op.key, op.value);
			break;
		case 'append-plugin-table': {
			const block = blockAt(lines, 'plugins', op.index);
			lines.splice(block.contentEnd, 0, '', ...tableLines(['plugins', op.key], op.table, true));
			break;
		}
		case 'add-plugin':
			insertBlock(lines, 'plugins', op.index, entryLines('plugins', op.entry));
			break;
		case 'remove-plugin':
			removeBlock(lines, blockAt(lines, 'plugins', op.index));
			break;
		case 'add-blacklist':
			insertBlock(
				lines,
				'blacklist',
				blocksOf(lines, 'blacklist').length,
				entryLines('blacklist', op.entry),
			);
			break;
		case 'remove-blacklist':
			removeBlock(lines, blockAt(lines, 'blacklist', op.index));
			break;
	}
	return lines.join(newline);
}

function isBlank(line: string | undefined): boolean {
	return line !== undefined && /^[ \t]*$/.test(line);
}

function isComment(line: string | undefined): boolean {
	return line !== undefined && /^[ \t]*#/.test(line);
}

/** Every `[[name]]` block, in file order. */
function blocksOf(lines: string[], name: string): Block[] {
	const statements = scanToml(lines);
	const blocks: Block[] = [];
	let current: Block | undefined;
	for (const statement of statements) {
		if (statement.kind === 'header') {
			const own = statement.path[0] === name;
			if (own && statement.array && statement.path.length === 1) {
				let lead = statement.start;
				while (lead > 0 && isComment(lines[lead - 1])) lead--;
				current = {
					lead,
					header: statement.start,
					contentEnd: statement.end,
					keysEnd: statement.end,
					statements: [statement],
				};
				blocks.push(current);
				continue;
			}
			if (!own) current = undefined;
		}
		if (current === undefined) continue;
		current.statements.push(statement);
		if (statement.kind !== 'other') {
			current.contentEnd = statement.end;
			if (statement.kind === 'key' && isOwnKey(current, statement)) current.keysEnd = statement.end;
		}
	}
	return blocks;
}

/** A key of the block itself, not of one of its sub-tables. */
function isOwnKey(block: Block, statement: Statement): boolean {
	const headers = block.statements.filter((s) => s.kind === 'header');
	return headers.length === 1 && statement.start > block.header;
}

function blockAt(lines: string[], name: string, index: number): Block {
	const block = blocksOf(lines, name)[index];
	if (block === undefined) {
		throw registryError(
			'REGISTRY_EDIT_REFUSED',
			`The file does not list its ${name} as [[${name}]] tables, which is the only layout edits are made in.`,
			{ hint: 'Rewrite the entries as [[tables]], or edit the file by hand.' },
		);
	}
	return block;
}

function setKey(lines: string[], block: Block, key: string, value: TomlValue | undefined): void {
	const ownKeys: Statement[] = [];
	const subTables: { start: number; end: number; array: boolean }[] = [];
	// Which table the statements belong to: the entry itself, this key's sub-table, or another.
	let owner: 'entry' | 'key' | 'other' = 'entry';
	for (const statement of block.statements) {
		if (statement.kind === 'header') {
			if (statement.start === block.header) continue;
			owner = statement.path[1] === key ? 'key' : 'other';
			if (owner === 'key') subTables.push({ ...statement });
			continue;
		}
		const last = subTables[subTables.length - 1];
		if (owner === 'key' && last !== undefined && statement.kind !== 'other')
			last.end = statement.end;
		if (owner === 'entry' && statement.kind === 'key' && statement.path[0] === key) {
			ownKeys.push(statement);
		}
	}
	let replacement: string[] = [];
	let at = -1;
	if (value !== undefined) {
		const first = subTables[0];
		if (first !== undefined && isTableValue(value)) {
			replacement = tableLines(['plugins', key], value, false);
			at = first.start;
		} else if (first?.array && isTableArray(value)) {
			replacement = value.flatMap((table, i) => [
				...(i === 0 ? [] : ['']),
				...tableLines(['plugins', key], table, true),
			]);
			at = first.start;
		} else if (isTableValue(value)) {
			replacement = ['', ...tableLines(['plugins', key], value, false)];
			at = block.contentEnd;
		} else {
			replacement = keyValueLines(key, value);
			const own = ownKeys[0];
			at = own?.start ?? block.keysEnd;
			// `trust_level = "trusted" # since 2025` keeps its note when the value fits one line.
			if (own !== undefined && own.end - own.start === 1 && replacement.length === 1) {
				replacement[0] += trailingComment(lines[own.start] as string);
			}
		}
	}
	const removed = new Set<number>();
	for (const range of [...ownKeys, ...subTables]) {
		for (let line = range.start; line < range.end; line++) removed.add(line);
	}
	for (const table of subTables) {
		// A removed sub-table takes the blank line that separated it with it.
		if (table.start !== at && isBlank(lines[table.start - 1])) removed.add(table.start - 1);
	}
	const out: string[] = [];
	lines.forEach((line, index) => {
		if (index === at) out.push(...replacement);
		if (!removed.has(index)) out.push(line);
	});
	if (at >= lines.length) out.push(...replacement);
	// Not `splice(0, n, ...out)`: spreading a registry of 100,000 lines as arguments overflows
	// the call stack.
	lines.length = 0;
	for (const line of out) lines.push(line);
}

function isTableArray(value: TomlValue): value is readonly TomlTable[] {
	return Array.isArray(value) && value.length > 0 && value.every((item) => isTableValue(item));
}

/**
 * A new `[[name]]` block: plain keys first, then tables as sub-tables. A list of tables that
 * later edits append to (`changes`) is written as `[[name.key]]` tables, which can be extended;
 * `refs` stays an inline list, as it is replaced whole.
 */
function entryLines(name: string, entry: TomlTable): string[] {
	const lines = [`[[${name}]]`];
	const tables: string[][] = [];
	for (const [key, value] of Object.entries(entry)) {
		if (isTableValue(value)) tables.push(['', ...tableLines([name, key], value, false)]);
		else if (key !== 'refs' && isTableArray(value)) {
			for (const table of value) tables.push(['', ...tableLines([name, key], table, true)]);
		} else lines.push(...keyValueLines(key, value));
	}
	return [...lines, ...tables.flat()];
}

/** Inserts a block before block `index` of its kind, or after the last one. */
function insertBlock(lines: string[], name: string, index: number, block: string[]): void {
	const blocks = blocksOf(lines, name);
	const before = blocks[index];
	if (before !== undefined) {
		lines.splice(before.lead, 0, ...block, '');
		return;
	}
	const last = blocks[blocks.length - 1];
	if (last !== undefined) {
		lines.splice(last.contentEnd, 0, '', ...block);
		return;
	}
	// The first of its kind: plugins go before the blacklist, anything else at the end.
	const blacklist = name === 'plugins' ? blocksOf(lines, 'blacklist')[0] : undefined;
	if (blacklist !== undefined) {
		lines.splice(blacklist.lead, 0, ...block, '');
		return;
	}
	let end = lines.length;
	if (end > 0 && lines[end - 1] === '') end--;
	const separator = end > 0 && !isBlank(lines[end - 1]) ? [''] : [];
	lines.splice(end, 0, ...separator, ...block);
}

function removeBlock(lines: string[], block: Block): void {
	lines.splice(block.lead, block.contentEnd - block.lead);
	// One blank line stays between what was before and what was after.
	if (isBlank(lines[block.lead]) && (block.lead === 0 || isBlank(lines[block.lead - 1]))) {
		lines.splice(block.lead, 1);
	}
}

/** A whole document as TOML in the registry's layout: `output --format toml` of a JSON registry. */
export function documentToToml(document: Record<string, unknown>): string {
	const lines: string[] = [];
	for (const [key, value] of Object.entries(document)) {
		if (key !== 'plugins' && key !== 'blacklist')
			lines.push(...keyValueLines(key, value as TomlValue));
	}
	for (const name of ['plugins', 'blacklist']) {
		const entries = document[name];
		if (!Array.isArray(entries)) continue;
		for (const entry of entries as TomlTable[]) {
			if (lines.length > 0) lines.push('');
			lines.push(...entryLines(name, entry));
		}
	}
	return `${lines.join('\n')}\n`;
}
