/**
 * Paths written in pieces: `os.path.join(home, '.config', 'autostart')`,
 * `path.join(os.homedir(), '.ssh', 'id_rsa')`, `Path.home() / '.aws' / 'credentials'`. Each
 * literal alone names nothing, so the places a string rule looks for (persistence locations,
 * the host's files, credential files) are looked for in the runs of known pieces joined with
 * `/`. An unknown piece ends a run, so no place is read across it.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import { secretPlace } from '../rules/secret-paths.ts';
import { callMatchers } from '../rules/shared.ts';

const JOINS =
	/^(?:os\.path|posixpath|ntpath)\.join$|^pathlib\.(?:Pure)?(?:Posix|Windows)?Path$|^path(?:\.posix|\.win32)?\.(?:join|resolve)$|\.joinpath$/;
/** Pieces read from one join or one chain of `/`. */
const MAX_PIECES = 32;
/** A Python `/` next to a string literal: the cheap test before chains are read. */
const DIVIDED_LITERAL = /['"]\s*\)?\s*\/|\/\s*[rbfu]{0,2}['"]/i;

type PlaceCheck = (value: string, node: Node, file: FileContext) => void;

function runsOf(pieces: readonly (string | undefined)[]): string[] {
	const runs: string[] = [];
	let run: string[] = [];
	for (const piece of [...pieces, undefined]) {
		if (piece !== undefined) {
			run.push(piece.replace(/^[/\\]+|[/\\]+$/g, ''));
			continue;
		}
		// One literal alone is already read where it stands.
		if (run.length > 1) runs.push(`/${run.join('/')}`);
		run = [];
	}
	return runs;
}

function judge(pieces: (string | undefined)[], node: Node, file: FileContext, places: PlaceCheck) {
	for (const run of runsOf(pieces)) {
		places(run, node, file);
		const secret = secretPlace(run);
		if (secret !== undefined) {
			file.report('secret-path', node, `names ${secret}, in pieces`);
			file.flowSource(node, 'secret', secret);
		}
	}
}

const known = (part: Node, file: FileContext) => file.stringValue(part) ?? file.foldString(part);

/** `Path.home() / '.aws' / 'credentials'`: the pieces of a whole chain, left to right. */
function checkDivision(node: Node, file: FileContext, places: PlaceCheck): void {
	const pieces: (string | undefined)[] = [];
	// Left-nested chains: walk down the left side, collecting right operands in reverse.
	let current: Node | null = node;
	const rights: Node[] = [];
	while (current !== null && current.type === 'binary_operator') {
		if (current.childForFieldName('operator')?.text !== '/') break;
		const right = current.childForFieldName('right');
		if (right !== null) rights.push(right);
		current = current.childForFieldName('left');
		if (rights.length >= MAX_PIECES) break;
	}
	if (rights.length === 0) return;
	pieces.push(current === null ? undefined : known(current, file));
	for (const right of rights.reverse()) pieces.push(known(right, file));
	judge(pieces, node, file, places);
}

export function joinedPathMatchers(places: PlaceCheck): Matcher[] {
	return [
		...callMatchers(['python', 'js'], (site, file) => {
			if (site.name === undefined || !JOINS.test(site.name)) return;
			const args = positionalArgs(site.args).slice(0, MAX_PIECES);
			if (args.length < 2) return;
			judge(
				args.map((arg) => known(arg, file)),
				site.call,
				file,
				places,
			);
		}),
		{
			family: 'python',
			// Only the outermost `/` of a chain is read: its right side is a piece, not a chain.
			query: '(binary_operator left: (binary_operator) right: (_)) @chain',
			needs: DIVIDED_LITERAL,
			check: ({ chain }, file) => chain !== undefined && checkDivision(chain, file, places),
		},
	];
}
