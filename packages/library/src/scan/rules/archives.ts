/**
 * Where a file is written, as the flow pass sees it: the path of a write, and the archive a
 * tar extraction unpacks. An archive's member names are chosen by whoever built it, and a
 * name such as `../../.bashrc` or `/home/u/.config/autostart/x.desktop` joined to a destination
 * writes wherever it says (zip slip). Droppers ship or download such an archive because its
 * members never appear in the code a reviewer reads. The flow pass reports a member name, or
 * data received from the network, that chooses a written path (`path-traversal`); a tar
 * archive received over the network and extracted without a safe filter is the same thing
 * done by tarfile. The file-level check of archives the plugin ships is `files/archive-members.ts`.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { keywordArg, positionalArgs } from '../engine/syntax.ts';
import { type CallSite, callMatchers, NameTable } from './shared.ts';

const PY_OPEN = new NameTable(['builtins.open', 'io.open', 'codecs.open', 'io.FileIO']);
/** Copies and moves: the second argument is where the file lands. */
const PY_COPY = new NameTable([
	'shutil.copy',
	'shutil.copy2',
	'shutil.copyfile',
	'shutil.copytree',
	'shutil.move',
	'os.rename',
	'os.replace',
]);
/** Methods of a path object that write it: the object is the path. */
const PY_PATH_WRITES = /^(?:write_text|write_bytes|touch|mkdir|symlink_to|hardlink_to)$/;
/** Methods listing an archive's members by name. */
const MEMBER_LISTS = /^(?:namelist|infolist|getmembers|getnames|getEntries)$/;

const JS_WRITE = new NameTable([
	'fs.writeFile',
	'fs.writeFileSync',
	'fs.appendFile',
	'fs.appendFileSync',
	'fs.createWriteStream',
	'fs.copyFile',
	'fs.copyFileSync',
	'fs.symlink',
	'fs.symlinkSync',
	'fs.promises.writeFile',
	'fs.promises.appendFile',
	'fs-extra.outputFile',
	'fs-extra.outputFileSync',
	'fs-extra.writeFile',
	'fs-extra.writeFileSync',
	'Deno.writeFile',
	'Deno.writeTextFile',
	'Bun.write',
]);
/** Copies whose destination is the second argument. */
const JS_SECOND = /(?:copyFile|symlink)(?:Sync)?$/;

/** tarfile's filters that refuse members leading out of the destination (PEP 706). */
const SAFE_FILTER = /^(?:data|tar)$/;

function holderOf(callee: Node): Node | null {
	if (callee.type !== 'attribute' && callee.type !== 'member_expression') return null;
	return callee.childForFieldName('object');
}

function writeMode(site: CallSite, file: FileContext): boolean {
	const mode = positionalArgs(site.args)[1] ?? keywordArg(site.args, 'mode');
	const value = mode === undefined ? undefined : file.stringValue(mode);
	return value !== undefined && /[wax+]/.test(value);
}

/**
 * `tar.extractall(dest)` with no filter, or with `filter='fully_trusted'`: every member is
 * written where its name says. zipfile's own extract methods clean names; tarfile's do not
 * before Python 3.14.
 */
function checkTarExtract(site: CallSite, file: FileContext): void {
	if (site.method !== 'extractall' && site.method !== 'extract') return;
	if (!/\btarfile\b/.test(file.text)) return;
	const holder = holderOf(site.callee);
	if (holder === null || /zip/i.test(holder.text) || /^zipfile\./.test(file.nameOf(holder) ?? '')) {
		return;
	}
	const filter = keywordArg(site.args, 'filter');
	if (filter !== undefined) {
		const value = file.stringValue(filter);
		if (value === undefined || SAFE_FILTER.test(value)) return;
	}
	file.flowSink(site.call, holder, 'write-path', `tarfile ${site.method}`);
}

function checkPython(site: CallSite, file: FileContext): void {
	if (site.method !== undefined && MEMBER_LISTS.test(site.method)) {
		file.flowSource(site.call, 'entry', `${site.method}()`);
		return;
	}
	const args = positionalArgs(site.args);
	if (PY_OPEN.hasName(site.name)) {
		if (args[0] !== undefined && writeMode(site, file)) {
			file.flowSink(site.call, args[0], 'write-path', 'open');
		}
	} else if (PY_COPY.hasName(site.name)) {
		const target = args[1] ?? keywordArg(site.args, 'dst');
		if (target !== undefined) file.flowSink(site.call, target, 'write-path', site.name as string);
	} else if (site.name === 'shutil.unpack_archive') {
		if (keywordArg(site.args, 'filter') === undefined && args[0] !== undefined) {
			file.flowSink(site.call, args[0], 'write-path', site.name);
		}
	} else if (site.method !== undefined && PY_PATH_WRITES.test(site.method)) {
		const holder = holderOf(site.callee);
		if (holder !== null) file.flowSink(site.call, holder, 'write-path', site.method);
	} else checkTarExtract(site, file);
}

function checkJs(site: CallSite, file: FileContext): void {
	if (site.method !== undefined && MEMBER_LISTS.test(site.method)) {
		file.flowSource(site.call, 'entry', `${site.method}()`);
		return;
	}
	if (!JS_WRITE.hasName(site.name)) return;
	const args = positionalArgs(site.args);
	const target = JS_SECOND.test(site.name ?? '') ? args[1] : args[0];
	if (target !== undefined) file.flowSink(site.call, target, 'write-path', site.name as string);
}

export const archiveMatchers: readonly Matcher[] = [
	...callMatchers(['python'], checkPython),
	...callMatchers(['js'], checkJs),
];
