/**
 * Reading one plugin file with a size bound. The file is opened without following a symlink
 * swapped in after the walk, and without blocking on a FIFO; at most `max + 1` bytes are read,
 * so an oversized file is detected without loading it.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { SourceLanguage } from '../types.ts';

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export type ReadResult =
	| { status: 'ok'; bytes: Buffer; size: number }
	| { status: 'too-large'; size: number }
	| { status: 'not-a-file' }
	| { status: 'unreadable'; code: string };

/**
 * Where the scan's reads of plugin files go. By default the disk; install hands the scanner
 * the bytes its tree digest read (`lifecycle/store/tree-files`), so that what is scanned is
 * exactly what was digested, and nothing is read twice. Paths are absolute, as walked.
 */
export interface FileReader {
	/** The whole file when it is a regular file of at most `max` bytes. */
	bounded(path: string, max: number): Promise<ReadResult>;
	/** Its first `count` bytes (for judging its type); empty when unreadable. */
	head(path: string, count: number): Promise<Uint8Array>;
}

export const DISK_READER: FileReader = {
	bounded: (path, max) => readBounded(path, max),
	head: (path, count) => readHead(path, count),
};

export async function readBounded(path: string, max: number): Promise<ReadResult> {
	// Synchronous on purpose: plugin files are small, and four thread-pool round trips per file
	// (open, stat, read, close) cost more than the reading itself. The size bound caps each call.
	let fd: number;
	try {
		fd = openSync(path, OPEN_FLAGS);
	} catch (error) {
		const code = (error as { code?: string }).code ?? 'EIO';
		return code === 'ELOOP' ? { status: 'not-a-file' } : { status: 'unreadable', code };
	}
	try {
		const info = fstatSync(fd);
		if (!info.isFile()) return { status: 'not-a-file' };
		if (info.size > max) return { status: 'too-large', size: info.size };
		const buffer = Buffer.alloc(Math.min(max + 1, info.size + 1));
		let filled = 0;
		while (filled < buffer.length) {
			const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, filled);
			if (bytesRead === 0) break;
			filled += bytesRead;
		}
		// The file grew between stat and read: judge what was actually there.
		if (filled > max) return { status: 'too-large', size: filled };
		return { status: 'ok', bytes: buffer.subarray(0, filled), size: filled };
	} catch (error) {
		return { status: 'unreadable', code: (error as { code?: string }).code ?? 'EIO' };
	} finally {
		closeSync(fd);
	}
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

export type DecodedSource = { ok: true; text: string } | { ok: false; encoding: string };

/**
 * Source text as the language's runtime reads it: UTF-8 with invalid bytes replaced (tolerant
 * like a reader), or the encoding a Python coding cookie declares. Bare CRs become LFs, which
 * keeps every offset: Python and JavaScript both end a line at a lone CR, and a parser that did
 * not would take the code after `# comment\r` for part of the comment. A declared encoding
 * the scanner cannot read the way Python does (UTF-7, escape codecs, multi-byte codecs whose
 * second bytes look like ASCII) is not guessed at: the file is reported as unscanned.
 */
export function decodeSource(bytes: Uint8Array, language: SourceLanguage): DecodedSource {
	let text: string;
	const declared = language === 'python' ? pythonCodingCookie(bytes) : undefined;
	if (declared === undefined) {
		text = decoder.decode(bytes);
	} else {
		const label = decoderLabel(declared);
		if (label === undefined) return { ok: false, encoding: declared };
		text = label === 'utf-8' ? decoder.decode(bytes) : new TextDecoder(label).decode(bytes);
	}
	return { ok: true, text: text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text };
}

/** PEP 263: `# -*- coding: <name> -*-` in a comment on line 1, or on line 2 after a comment. */
const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const COMMENT_OR_BLANK = /^[ \t\f]*(?:#|$)/;

/** The encoding a Python file declares, read the way CPython reads it; undefined: none. */
export function pythonCodingCookie(bytes: Uint8Array): string | undefined {
	const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	// Python reads source files with universal newlines, so a lone CR ends line 1 too.
	let start = bom;
	for (let line = 0; line < 2 && start < bytes.length; line++) {
		let end = start;
		while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
		const text = Buffer.from(bytes.subarray(start, end)).toString('latin1');
		const name = COOKIE.exec(text)?.[1];
		if (name !== undefined) return name;
		if (!COMMENT_OR_BLANK.test(text)) return undefined;
		start = end + (bytes[end] === 0x0d && bytes[end + 1] === 0x0a ? 2 : 1);
	}
	return undefined;
}

/**
 * The TextDecoder label for a declared Python encoding, or undefined when the scanner does not
 * read it. Beyond UTF-8, only single-byte encodings that keep ASCII as it is: under them the
 * code's structure (names, quotes, brackets, line breaks) is the same bytes Python sees.
 */
function decoderLabel(declared: string): string | undefined {
	// CPython's own shortcut (get_normal_name): its first 12 characters, `_` read as `-`.
	const head = declared.slice(0, 12).toLowerCase().replaceAll('_', '-');
	if (head === 'utf-8' || head.startsWith('utf-8-')) return 'utf-8';
	// Then the codec registry's spelling: lower case, punctuation as `_`.
	const name = declared.toLowerCase().replace(/[^a-z0-9.]+/g, '_');
	if (['utf8', 'u8', 'utf', 'cp65001'].includes(name)) return 'utf-8';
	if (/^(?:ascii|us_ascii|646|latin_?1|l1|iso_?8859_1|iso_latin_1|cp819)$/.test(name)) {
		return 'windows-1252';
	}
	const family = /^(?:iso_?8859_(\d+)|latin_?(\d)|l(\d)|(?:cp|windows_)(125\d)|koi8_([ru]))$/.exec(
		name,
	);
	if (family === null) return undefined;
	const [, iso, latin, short, windows, koi] = family;
	const label =
		iso !== undefined
			? `iso-8859-${iso}`
			: windows !== undefined
				? `windows-${windows}`
				: koi !== undefined
					? `koi8-${koi}`
					: LATIN_PARTS[Number(latin ?? short)];
	if (label === undefined) return undefined;
	try {
		new TextDecoder(label);
		return label;
	} catch {
		return undefined;
	}
}

/** Python's latin-N aliases, as ISO 8859 parts. */
const LATIN_PARTS: Readonly<Record<number, string>> = {
	2: 'iso-8859-2',
	3: 'iso-8859-3',
	4: 'iso-8859-4',
	5: 'iso-8859-9',
	6: 'iso-8859-10',
	7: 'iso-8859-13',
	8: 'iso-8859-14',
	9: 'iso-8859-15',
};

/** The first `count` bytes of a file (for judging its type); empty when unreadable. */
export async function readHead(path: string, count: number): Promise<Uint8Array> {
	let fd: number;
	try {
		fd = openSync(path, OPEN_FLAGS);
	} catch {
		return new Uint8Array(0);
	}
	try {
		if (!fstatSync(fd).isFile()) return new Uint8Array(0);
		const buffer = Buffer.alloc(count);
		const bytesRead = readSync(fd, buffer, 0, count, 0);
		return buffer.subarray(0, bytesRead);
	} catch {
		return new Uint8Array(0);
	} finally {
		closeSync(fd);
	}
}
