/**
 * Archives: member names chosen by whoever built the archive. Code that joins them (or names a
 * server sent) to a destination and writes there is `path-traversal`; an archive the plugin
 * ships with a member leading out is `archive-escape`. The archives are built here, byte by
 * byte, so no binary is committed; the careful look-alikes must stay quiet.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { checkArchive } from '../../src/scan/files/archive-members.ts';
import { plugin } from './reach-support.ts';
import { scan } from './support.ts';

interface TarEntry {
	name: string;
	type?: '0' | '1' | '2' | '5';
	link?: string;
	data?: string;
}

function octal(value: number, width: number): string {
	return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/** A ustar archive: one 512-byte header per member, its data padded to 512, two empty blocks. */
function tar(entries: readonly TarEntry[]): Buffer {
	const blocks: Buffer[] = [];
	for (const entry of entries) {
		const data = Buffer.from(entry.data ?? '');
		const header = Buffer.alloc(512);
		header.write(entry.name, 0, 100, 'utf8');
		header.write(octal(0o644, 8), 100, 'latin1');
		header.write(octal(0, 8), 108, 'latin1');
		header.write(octal(0, 8), 116, 'latin1');
		header.write(octal(data.length, 12), 124, 'latin1');
		header.write(octal(0, 12), 136, 'latin1');
		header.write('        ', 148, 'latin1');
		header.write(entry.type ?? '0', 156, 'latin1');
		header.write(entry.link ?? '', 157, 100, 'utf8');
		header.write('ustar\u000000', 257, 'latin1');
		let sum = 0;
		for (const byte of header) sum += byte;
		header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
		blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
	}
	blocks.push(Buffer.alloc(1024));
	return Buffer.concat(blocks);
}

interface ZipEntry {
	name: string;
	data?: string;
	symlink?: boolean;
	deflate?: boolean;
}

/** A zip archive: local headers with their data, the central directory, its end record. */
function zip(entries: readonly ZipEntry[]): Buffer {
	const locals: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = Buffer.from(entry.name);
		const raw = Buffer.from(entry.data ?? '');
		const data = entry.deflate === true ? deflateRawSync(raw) : raw;
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(entry.deflate === true ? 8 : 0, 8);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(raw.length, 22);
		local.writeUInt16LE(name.length, 26);
		const record = Buffer.alloc(46);
		record.writeUInt32LE(0x02014b50, 0);
		record.writeUInt16LE(0x0314, 4);
		record.writeUInt16LE(20, 6);
		record.writeUInt16LE(entry.deflate === true ? 8 : 0, 10);
		record.writeUInt32LE(data.length, 20);
		record.writeUInt32LE(raw.length, 24);
		record.writeUInt16LE(name.length, 28);
		record.writeUInt32LE(((entry.symlink === true ? 0o120777 : 0o100644) << 16) >>> 0, 38);
		record.writeUInt32LE(offset, 42);
		locals.push(local, name, data);
		central.push(record, name);
		offset += 30 + name.length + data.length;
	}
	const directory = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, directory, end]);
}

const escapes = (bytes: Buffer) => {
	const check = checkArchive(bytes);
	assert.equal(check.status, 'checked');
	return check.status === 'checked' ? check.escapes : [];
};

test('tar members leading out are named: ../, absolute, symlinks and hard links out', () => {
	const found = escapes(
		tar([
			{ name: 'covers/', type: '5' },
			{ name: 'covers/a.jpg', data: 'x' },
			{ name: 'covers/../../.bashrc', data: 'curl x | sh' },
			{ name: '/home/user/.config/autostart/x.desktop', data: '[Desktop Entry]' },
			{ name: 'covers/link', type: '2', link: '../../.ssh/id_rsa' },
			{ name: 'covers/hard', type: '1', link: '../outside' },
			{ name: 'covers/inside', type: '2', link: '../covers/a.jpg' },
		]),
	);
	assert.equal(found.length, 4, found.join('\n'));
	assert.match(found[0] ?? '', /\.bashrc leads out/);
	assert.match(found[2] ?? '', /symlink to \.\.\/\.\.\/\.ssh\/id_rsa/);
	assert.match(found[3] ?? '', /hard link/);
});

test('zip members leading out are named, a symlink by its stored target, deflated too', () => {
	const found = escapes(
		zip([
			{ name: 'lyrics/a.txt', data: 'la la' },
			{ name: 'lyrics\\..\\..\\AppData\\evil.bat', data: 'x' },
			{ name: 'lyrics/up', data: '/etc/passwd', symlink: true, deflate: true },
			{ name: 'lyrics/same', data: 'a.txt', symlink: true },
		]),
	);
	assert.equal(found.length, 2, found.join('\n'));
	assert.match(found[1] ?? '', /symlink to \/etc\/passwd/);
});

test('honest archives shipped by a plugin pass, a gzip tar is unpacked to be read', async () => {
	const honest = tar([
		{ name: 'presets/', type: '5' },
		{ name: 'presets/rock.json', data: '{}' },
		{ name: 'presets/link', type: '2', link: 'rock.json' },
	]);
	assert.deepEqual(escapes(honest), []);
	assert.deepEqual(escapes(gzipSync(honest)), []);
	assert.deepEqual(escapes(zip([{ name: 'a/b.txt', data: 'x' }])), []);
	const dir = plugin({ '__init__.py': 'def enable(api):\n    pass\n' });
	const { writeFileSync } = await import('node:fs');
	const { join } = await import('node:path');
	writeFileSync(join(dir, 'presets.tar.gz'), gzipSync(honest));
	writeFileSync(join(dir, 'backup.tar'), honest);
	const report = await scan(dir);
	assert.deepEqual(
		report.findings.filter((f) => f.ruleId === 'archive-escape' || f.ruleId === 'unscanned-file'),
		[],
	);
});

test('a shipped tar, gzip tar or zip with a member leading out is archive-escape, high', async () => {
	const { writeFileSync } = await import('node:fs');
	const { join } = await import('node:path');
	const dir = plugin({ '__init__.py': 'def enable(api):\n    pass\n' });
	const bad = tar([{ name: '../../.profile', data: 'x' }]);
	writeFileSync(join(dir, 'skin.tar'), bad);
	writeFileSync(join(dir, 'skin.tgz'), gzipSync(bad));
	writeFileSync(join(dir, 'icons.dat'), zip([{ name: '/tmp/../etc/cron.d/x', data: 'x' }]));
	const report = await scan(dir);
	const found = report.findings.filter((f) => f.ruleId === 'archive-escape');
	assert.deepEqual(found.map((f) => f.file).sort(), ['icons.dat', 'skin.tar', 'skin.tgz']);
	assert.ok(found.every((f) => f.severity === 'high'));
});

test('archive bounds: an over-long member list is not checked; a damaged zip is judged by type', () => {
	const damaged = zip([{ name: 'a', data: 'x' }]).subarray(0, 40);
	assert.equal(checkArchive(damaged).status, 'not-an-archive');
	const many = Array.from({ length: 10_001 }, (_, i) => ({ name: `f${i}`, type: '5' as const }));
	assert.equal(checkArchive(tar(many)).status, 'unchecked');
});

const rules = async (files: Record<string, string>) =>
	(await scan(plugin(files))).findings.filter((f) => f.ruleId === 'path-traversal');

test('careful extraction stays quiet: tarfile filters, commonpath checks, basenames', async () => {
	const quiet = await rules({
		'__init__.py': [
			'import io, os, tarfile, zipfile',
			'import requests',
			'',
			'def pack(url, dest):',
			'    tar = tarfile.open(fileobj=io.BytesIO(requests.get(url).content))',
			"    tar.extractall(dest, filter='data')",
			'',
			'def lyrics(archive, dest):',
			'    with zipfile.ZipFile(archive) as zf:',
			'        for name in zf.namelist():',
			'            target = os.path.realpath(os.path.join(dest, name))',
			'            if os.path.commonpath([target, os.path.realpath(dest)]) != os.path.realpath(dest):',
			'                raise ValueError(name)',
			"            with open(target, 'wb') as out:",
			'                out.write(zf.read(name))',
			'',
			'def flat(archive, dest):',
			'    with zipfile.ZipFile(archive) as zf:',
			'        for name in zf.namelist():',
			"            with open(os.path.join(dest, os.path.basename(name)), 'wb') as out:",
			'                out.write(zf.read(name))',
			'',
			'def zipped(url, dest):',
			'    zipfile.ZipFile(io.BytesIO(requests.get(url).content)).extractall(dest)',
			'',
			'def cover(url, path):',
			"    with open(path, 'wb') as out:",
			'        out.write(requests.get(url).content)',
		].join('\n'),
		'index.js': [
			"const fs = require('fs');",
			"const path = require('path');",
			"const tar = require('tar-stream');",
			'function restore(stream, dest) {',
			'  const extract = tar.extract();',
			"  extract.on('entry', (header, body, next) => {",
			'    const out = path.resolve(dest, header.name);',
			"    if (path.relative(dest, out).startsWith('..')) return next();",
			'    body.pipe(fs.createWriteStream(out));',
			'  });',
			'  stream.pipe(extract);',
			'}',
			'module.exports = { restore };',
		].join('\n'),
	});
	assert.deepEqual(quiet, []);
});

test('received names choosing a written path are path-traversal, in Python and JS', async () => {
	const found = await rules({
		'__init__.py': [
			'import os, tarfile, zipfile',
			'from urllib.request import urlopen',
			'',
			'def pack(url, dest):',
			"    with tarfile.open(fileobj=urlopen(url), mode='r|gz') as tar:",
			'        tar.extractall(dest)',
			'',
			'def lyrics(archive, dest):',
			'    with zipfile.ZipFile(archive) as zf:',
			'        for info in zf.infolist():',
			"            with open(os.path.join(dest, info.filename), 'wb') as out:",
			'                out.write(zf.read(info))',
		].join('\n'),
		'index.js': [
			"const fs = require('fs');",
			"const unzip = require('yauzl');",
			'function unpack(file, dest) {',
			'  unzip.open(file, (err, zipfile) => {',
			"    zipfile.on('entry', (entry) => {",
			"      fs.writeFileSync(dest + '/' + entry.fileName, '');",
			'    });',
			'  });',
			'}',
			'module.exports = { unpack };',
		].join('\n'),
	});
	assert.deepEqual(
		found.map((f) => `${f.file}:${f.line}`),
		['__init__.py:6', '__init__.py:11', 'index.js:6'],
	);
	assert.ok(found.every((f) => f.severity === 'high'));
});
