/**
 * What a file is: source code of a language the scanner parses, or data judged by its first
 * bytes. Native executables are recognised by their magic numbers whatever their name, so
 * renaming `payload.so` to `icon.png` does not hide it.
 */
import type { SourceLanguage } from '../types.ts';

const EXTENSIONS: Readonly<Record<string, SourceLanguage>> = {
	'.py': 'python',
	'.pyw': 'python',
	'.pyi': 'python',
	'.js': 'javascript',
	'.mjs': 'javascript',
	'.cjs': 'javascript',
	'.jsx': 'javascript',
	'.ts': 'typescript',
	'.mts': 'typescript',
	'.cts': 'typescript',
	'.tsx': 'tsx',
};

/** Library and executable extensions that hold machine code. */
const NATIVE_EXTENSION = /\.(?:so(?:\.\d+)*|pyd|dll|dylib|node|exe|bundle)$/i;
const BYTECODE_EXTENSION = /\.(?:pyc|pyo|wasm|class|jar)$/i;

/** How many leading bytes `sniff` wants. */
export const SNIFF_BYTES = 512;

export function languageOf(name: string): SourceLanguage | undefined {
	const lower = name.toLowerCase();
	const dot = lower.lastIndexOf('.');
	return dot === -1 ? undefined : EXTENSIONS[lower.slice(dot)];
}

/** An extensionless script: `#!/usr/bin/env python3` or `#!/usr/bin/env node`. */
export function languageOfShebang(head: Uint8Array): SourceLanguage | undefined {
	if (head[0] !== 0x23 || head[1] !== 0x21) return undefined;
	const end = head.indexOf(0x0a);
	const line = Buffer.from(head.subarray(0, end === -1 ? head.length : end)).toString('latin1');
	if (/\bpython[0-9.]*\b/.test(line)) return 'python';
	if (/\b(?:node|nodejs|deno|bun)\b/.test(line)) return 'javascript';
	return undefined;
}

export type DataKind =
	| { kind: 'native'; format: string }
	| { kind: 'bytecode'; format: string }
	| { kind: 'binary'; format: string }
	| { kind: 'data' };

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
	return bytes.every((byte, i) => head[offset + i] === byte);
}

function ascii(text: string): number[] {
	return [...text].map((c) => c.charCodeAt(0));
}

const NATIVE_MAGIC: readonly { format: string; bytes: number[] }[] = [
	{ format: 'ELF executable or library', bytes: [0x7f, 0x45, 0x4c, 0x46] },
	{ format: 'Mach-O binary', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
	{ format: 'Mach-O binary', bytes: [0xce, 0xfa, 0xed, 0xfe] },
	{ format: 'Mach-O binary', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
	{ format: 'Mach-O binary', bytes: [0xfe, 0xed, 0xfa, 0xce] },
];

/** Formats a plugin may legitimately ship (icons, translations, fonts, audio samples). */
const DATA_MAGIC: readonly number[][] = [
	[0x89, 0x50, 0x4e, 0x47], // PNG
	[0xff, 0xd8, 0xff], // JPEG
	ascii('GIF8'),
	[0x00, 0x00, 0x01, 0x00], // ICO
	ascii('BM'),
	ascii('%PDF'),
	[0x3c, 0xb8, 0x64, 0x18], // Qt .qm translations
	[0xde, 0x12, 0x04, 0x95], // gettext .mo
	[0x95, 0x04, 0x12, 0xde],
	[0x00, 0x01, 0x00, 0x00], // TrueType
	ascii('OTTO'),
	ascii('wOFF'),
	ascii('wOF2'),
	ascii('ID3'),
	ascii('fLaC'),
	ascii('OggS'),
	ascii('RIFF'),
	[0xff, 0xfb],
	[0xff, 0xf3],
	[0xff, 0xf1],
];

/** Mostly printable bytes and no NUL: text of some kind. */
export function isText(head: Uint8Array): boolean {
	if (head.length === 0) return true;
	let control = 0;
	for (const byte of head) {
		if (byte === 0) return false;
		if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
	}
	return control / head.length < 0.1;
}

/** Judges a non-source file by name and first bytes. */
export function sniff(name: string, head: Uint8Array): DataKind {
	for (const magic of NATIVE_MAGIC) {
		if (startsWith(head, magic.bytes)) return { kind: 'native', format: magic.format };
	}
	// PE executables start with "MZ" and point to a "PE\0\0" header.
	if (startsWith(head, ascii('MZ')) && !isText(head)) {
		return { kind: 'native', format: 'Windows executable or DLL' };
	}
	if (startsWith(head, [0xca, 0xfe, 0xba, 0xbe])) {
		return /\.class$/i.test(name)
			? { kind: 'bytecode', format: 'Java class file' }
			: { kind: 'native', format: 'Mach-O universal binary' };
	}
	if (startsWith(head, [0x00, 0x61, 0x73, 0x6d]))
		return { kind: 'bytecode', format: 'WebAssembly module' };
	// Python bytecode: a 2-byte version number, then "\r\n".
	if (head.length >= 4 && head[2] === 0x0d && head[3] === 0x0a && /\.py[co]$/i.test(name)) {
		return { kind: 'bytecode', format: 'compiled Python bytecode' };
	}
	if (NATIVE_EXTENSION.test(name))
		return { kind: 'native', format: 'native library (by extension)' };
	if (BYTECODE_EXTENSION.test(name))
		return { kind: 'bytecode', format: 'compiled code (by extension)' };
	if (DATA_MAGIC.some((magic) => startsWith(head, magic))) return { kind: 'data' };
	// zipimport loads code from a zip under any name: an archive is code the scan cannot read.
	if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
		return { kind: 'bytecode', format: 'zip archive (importable by Python)' };
	}
	if (startsWith(head, [0x1f, 0x8b])) return { kind: 'binary', format: 'gzip archive' };
	if (isText(head)) return { kind: 'data' };
	return { kind: 'binary', format: 'unrecognised binary data' };
}
