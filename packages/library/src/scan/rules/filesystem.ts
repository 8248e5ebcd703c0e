/**
 * File reads, writes and deletes. `open()` is judged by its mode; calls on objects the resolver
 * cannot name (`path.write_text(...)`) match by method name with a lower confidence.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { keywordArg, positionalArgs } from '../engine/syntax.ts';
import { type CallSite, callMatchers, NameTable, shown } from './shared.ts';

const PY_OPEN = new NameTable(['builtins.open', 'io.open', 'codecs.open', 'io.FileIO']);

const PY_WRITE = new NameTable([
	'shutil.copy',
	'shutil.copy2',
	'shutil.copyfile',
	'shutil.copytree',
	'shutil.copymode',
	'shutil.copystat',
	'shutil.make_archive',
	'shutil.unpack_archive',
	'os.mkdir',
	'os.makedirs',
	'os.mknod',
	'os.mkfifo',
	'os.utime',
	'os.write',
	'os.truncate',
	'pathlib.Path.write_text',
	'pathlib.Path.write_bytes',
	'pathlib.Path.touch',
	'pathlib.Path.mkdir',
	'*.write_text',
	'*.write_bytes',
	'*.extractall',
]);

const PY_DELETE = new NameTable([
	'os.remove',
	'os.unlink',
	'os.rmdir',
	'os.removedirs',
	'os.rename',
	'os.renames',
	'os.replace',
	'os.chmod',
	'os.lchmod',
	'os.chown',
	'os.lchown',
	'os.symlink',
	'os.link',
	'shutil.rmtree',
	'shutil.move',
	'shutil.chown',
	'pathlib.Path.unlink',
	'pathlib.Path.rmdir',
	'*.rmtree',
	'*.unlink',
	'*.rmdir',
]);

const PY_READ = new NameTable([
	'os.listdir',
	'os.scandir',
	'os.walk',
	'os.fwalk',
	'glob.glob',
	'glob.iglob',
	'pathlib.Path.read_text',
	'pathlib.Path.read_bytes',
	'*.read_text',
	'*.read_bytes',
	'*.iterdir',
	'*.rglob',
]);

const JS_WRITE = new NameTable([
	'fs.writeFile',
	'fs.writeFileSync',
	'fs.appendFile',
	'fs.appendFileSync',
	'fs.createWriteStream',
	'fs.write',
	'fs.writeSync',
	'fs.mkdir',
	'fs.mkdirSync',
	'fs.copyFile',
	'fs.copyFileSync',
	'fs.cp',
	'fs.cpSync',
	'fs.utimes',
	'fs.utimesSync',
	'fs.truncate',
	'fs.truncateSync',
	'fs.promises.writeFile',
	'fs.promises.appendFile',
	'fs.promises.mkdir',
	'fs.promises.copyFile',
	'fs.promises.cp',
	'fs-extra.outputFile',
	'fs-extra.outputFileSync',
	'fs-extra.writeJson',
	'fs-extra.writeJsonSync',
	'fs-extra.copy',
	'fs-extra.copySync',
	'fs-extra.ensureDir',
	'Deno.writeFile',
	'Deno.writeTextFile',
	'Bun.write',
]);

const JS_DELETE = new NameTable([
	'fs.rm',
	'fs.rmSync',
	'fs.rmdir',
	'fs.rmdirSync',
	'fs.unlink',
	'fs.unlinkSync',
	'fs.rename',
	'fs.renameSync',
	'fs.chmod',
	'fs.chmodSync',
	'fs.chown',
	'fs.chownSync',
	'fs.symlink',
	'fs.symlinkSync',
	'fs.promises.rm',
	'fs.promises.rmdir',
	'fs.promises.unlink',
	'fs.promises.rename',
	'fs.promises.chmod',
	'fs-extra.remove',
	'fs-extra.removeSync',
	'fs-extra.emptyDir',
	'fs-extra.move',
	'rimraf',
	'rimraf.*',
	'del',
	'Deno.remove',
]);

const JS_READ = new NameTable([
	'fs.readFile',
	'fs.readFileSync',
	'fs.readdir',
	'fs.readdirSync',
	'fs.createReadStream',
	'fs.opendir',
	'fs.opendirSync',
	'fs.promises.readFile',
	'fs.promises.readdir',
	'fs.promises.opendir',
	'Deno.readFile',
	'Deno.readTextFile',
	'Bun.file',
]);

/** A path built from the module's own location. */
const OWN_FILES = /\b__file__\b|\b__dirname\b|import\.meta\.(?:url|dirname)/;

/** The mode of `open(path, mode)`: undefined when it is computed. */
function openMode(site: CallSite, file: FileContext): string | undefined | null {
	const mode = positionalArgs(site.args)[1] ?? keywordArg(site.args, 'mode');
	if (mode === undefined) return null;
	return file.stringValue(mode);
}

function checkOpen(site: CallSite, file: FileContext): void {
	const what = shown(site.name, 'open');
	const mode = openMode(site, file);
	if (mode === null || (mode !== undefined && !/[wax+]/.test(mode))) {
		// Reading the plugin's own data files (`os.path.dirname(__file__)`) reaches nothing
		// beyond the plugin, so it is not the filesystem_read capability.
		if (OWN_FILES.test(positionalArgs(site.args)[0]?.text ?? '')) return;
		file.report('fs-read', site.call, `${what} opens a file for reading`);
	} else if (mode === undefined) {
		file.report('fs-write', site.call, `${what} opens a file with a mode chosen at run time`, {
			confidence: 'low',
		});
	} else {
		file.report('fs-write', site.call, `${what} opens a file for writing ('${mode}')`);
	}
}

/** `os.open(path, flags)`: writing when the flags mention a write or create flag. */
function checkOsOpen(site: CallSite, file: FileContext): void {
	const flags: Node | undefined = positionalArgs(site.args)[1];
	if (flags !== undefined && /O_(WRONLY|RDWR|CREAT|APPEND|TRUNC)/.test(flags.text)) {
		file.report('fs-write', site.call, 'os.open opens a file for writing');
	} else {
		file.report('fs-read', site.call, 'os.open opens a file');
	}
}

function checkTables(
	site: CallSite,
	file: FileContext,
	tables: { write: NameTable; remove: NameTable; read: NameTable },
): void {
	const what = shown(site.name, site.callee.text);
	// A match on the method name alone (`x.unlink()`) could be any object's method.
	const byName = (table: NameTable) => table.hasName(site.name);
	const confidence = (table: NameTable) => (byName(table) ? {} : { confidence: 'low' as const });
	if (byName(tables.remove) || tables.remove.hasMethod(site.method)) {
		file.report(
			'fs-delete',
			site.call,
			`${what} deletes or moves files`,
			confidence(tables.remove),
		);
	} else if (byName(tables.write) || tables.write.hasMethod(site.method)) {
		file.report('fs-write', site.call, `${what} writes files`, confidence(tables.write));
	} else if (byName(tables.read) || tables.read.hasMethod(site.method)) {
		if (OWN_FILES.test(positionalArgs(site.args)[0]?.text ?? '')) return;
		file.report('fs-read', site.call, `${what} reads files`, confidence(tables.read));
	}
}

const PY_TABLES = { write: PY_WRITE, remove: PY_DELETE, read: PY_READ };
const JS_TABLES = { write: JS_WRITE, remove: JS_DELETE, read: JS_READ };

export const filesystemMatchers: readonly Matcher[] = [
	...callMatchers(['python'], (site, file) => {
		if (PY_OPEN.hasName(site.name)) checkOpen(site, file);
		else if (site.name === 'os.open') checkOsOpen(site, file);
		else checkTables(site, file, PY_TABLES);
	}),
	...callMatchers(['js'], (site, file) => {
		if (site.name === 'fs.open' || site.name === 'fs.openSync') {
			const flags = positionalArgs(site.args)[1];
			const value = flags === undefined ? 'r' : (file.stringValue(flags) ?? 'w');
			const rule = /[wa+]/.test(value) ? 'fs-write' : 'fs-read';
			file.report(rule, site.call, `${site.name} opens a file`);
			return;
		}
		checkTables(site, file, JS_TABLES);
	}),
];
