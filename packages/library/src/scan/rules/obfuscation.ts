/**
 * Obfuscation: encoded literals, strings assembled from character codes, marshalled code and
 * decompression of inline bytes. Every decoder call is a `decoded` source, so the flow pass
 * reports the one pattern no honest plugin has: decoded data reaching exec or an import.
 */
import type { Node } from 'web-tree-sitter';
import type { FileContext, Matcher } from '../engine/matcher.ts';
import { positionalArgs } from '../engine/syntax.ts';
import {
	type CallSite,
	callMatchers,
	firstArg,
	NameTable,
	shown,
	stringMatchers,
} from './shared.ts';
import { judgeString, LONG_TOKEN_HINT } from './strings.ts';

const PY_DECODERS = new NameTable([
	'base64.b64decode',
	'base64.b32decode',
	'base64.b32hexdecode',
	'base64.b16decode',
	'base64.b85decode',
	'base64.a85decode',
	'base64.decodebytes',
	'base64.decodestring',
	'base64.standard_b64decode',
	'base64.urlsafe_b64decode',
	'binascii.a2b_base64',
	'binascii.a2b_hex',
	'binascii.unhexlify',
	'binascii.a2b_uu',
	'codecs.decode',
	'builtins.bytes.fromhex',
	'builtins.bytearray.fromhex',
]);

const PY_DECOMPRESSORS = new NameTable([
	'zlib.decompress',
	'gzip.decompress',
	'bz2.decompress',
	'lzma.decompress',
]);

const JS_DECODERS = new NameTable(['atob', 'unescape', 'Buffer.from', 'String.fromCharCode.*']);

const JS_DECOMPRESSORS = new NameTable([
	'zlib.inflateSync',
	'zlib.inflateRawSync',
	'zlib.gunzipSync',
	'zlib.unzipSync',
	'zlib.brotliDecompressSync',
	'zlib.inflate',
	'zlib.gunzip',
]);

/** Codecs that hide text: `s.decode('rot13')`, `codecs.decode(s, 'hex')`. */
const HIDING_CODECS = /^(?:rot_?13|base_?64|hex|zlib|bz2|uu|quopri)(?:_codec)?$/i;

/** A module-level name assigned a literal: `_BLOB = b"x\x9c..."`. */
function isLiteralConstant(name: string, file: FileContext): boolean {
	if (!/^[A-Za-z_$][\w$]*$/.test(name)) return false;
	const assignment = new RegExp(
		`^(?:(?:const|let|var)\\s+)?${name.replace(/\$/g, '\\$')}\\s*=\\s*[rRbBuU]{0,2}['"\`]`,
		'm',
	);
	return assignment.test(file.text);
}

/** True when the data is written in the code: a literal, a constant, or a decoder of one. */
function isInlineData(node: Node | undefined, file: FileContext, depth = 0): boolean {
	if (node === undefined || depth > 2) return false;
	if (file.isConstant(node)) return true;
	const type = node.type;
	if (type === 'identifier') return isLiteralConstant(node.text, file);
	if (type !== 'call' && type !== 'call_expression') return false;
	return isInlineData(firstArg(node.childForFieldName('arguments')), file, depth + 1);
}

function decoded(site: CallSite, file: FileContext): void {
	file.flowSource(site.call, 'decoded', shown(site.name, site.callee.text));
}

function checkDecompress(site: CallSite, file: FileContext): void {
	decoded(site, file);
	if (isInlineData(positionalArgs(site.args)[0], file)) {
		const what = shown(site.name, site.callee.text);
		file.report('obfuscation-compressed', site.call, `${what} unpacks bytes written in the code`);
	}
}

/** `''.join(chr(c) for c in codes)` and `''.join(map(chr, codes))`. */
function isChrJoin(site: CallSite, file: FileContext): boolean {
	if (site.method !== 'join') return false;
	const holder = site.callee.childForFieldName('object');
	if (holder === null || file.stringValue(holder) === undefined) return false;
	return /\bchr\s*\(|map\s*\(\s*chr\b/.test(site.args?.text ?? '');
}

function checkPython(site: CallSite, file: FileContext): void {
	if (PY_DECOMPRESSORS.hasName(site.name)) {
		checkDecompress(site, file);
	} else if (site.name === 'marshal.loads' || site.name === 'marshal.load') {
		file.report('obfuscation-marshal', site.call, `${site.name} loads code objects from bytes`);
		decoded(site, file);
	} else if (PY_DECODERS.hasName(site.name)) {
		decoded(site, file);
	} else if (isChrJoin(site, file)) {
		file.report('obfuscation-chr', site.call, 'a string is joined from chr() character codes');
		decoded(site, file);
	} else if (site.method === 'decode') {
		const codec = positionalArgs(site.args)[0];
		const name = codec === undefined ? undefined : file.stringValue(codec);
		if (name !== undefined && HIDING_CODECS.test(name)) decoded(site, file);
	}
}

function checkJs(site: CallSite, file: FileContext): void {
	if (JS_DECOMPRESSORS.hasName(site.name)) {
		checkDecompress(site, file);
		return;
	}
	if (site.name === 'String.fromCharCode' || site.name === 'String.fromCharCode.apply') {
		const args = positionalArgs(site.args);
		if (args.length >= 3 || site.name.endsWith('.apply') || /\.\.\./.test(site.args?.text ?? '')) {
			file.report('obfuscation-chr', site.call, 'a string is built from character codes');
		}
		decoded(site, file);
		return;
	}
	if (site.name === 'Buffer.from') {
		const encoding = positionalArgs(site.args)[1];
		const name = encoding === undefined ? undefined : file.stringValue(encoding);
		if (name !== undefined && /^(?:base64|base64url|hex)$/i.test(name)) decoded(site, file);
		return;
	}
	if (JS_DECODERS.hasName(site.name)) decoded(site, file);
}

function checkLiteral(node: Node, file: FileContext): void {
	const verdict = judgeString(file.stringValue(node), node.text);
	if (verdict === 'base64') {
		file.report('obfuscation-base64', node, 'a long base64 string is embedded in the code');
	} else if (verdict === 'hex') {
		file.report('obfuscation-hex', node, 'a long hex or byte-escape string is embedded');
	} else if (verdict === 'entropy') {
		file.report('obfuscation-entropy', node, 'a long random-looking token is embedded');
	}
}

export const obfuscationMatchers: readonly Matcher[] = [
	...callMatchers(['python'], checkPython),
	...callMatchers(['js'], checkJs),
	...stringMatchers(LONG_TOKEN_HINT, checkLiteral),
	{
		// `chr(111) + chr(115)`: chains nest to the left, so the innermost pair is matched once.
		family: 'python',
		query:
			'(binary_operator left: (call function: (identifier) @a) right: (call function: (identifier) @b)) @chain',
		needs: /chr\s*\(/,
		check({ chain, a, b }, file) {
			if (chain === undefined || a?.text !== 'chr' || b?.text !== 'chr') return;
			file.report('obfuscation-chr', chain, 'a string is concatenated from chr() codes');
			file.flowSource(chain, 'decoded', 'chr()');
		},
	},
	{
		// `'metsys.so'[::-1]`: a reversed literal is only ever written to hide a word.
		family: 'python',
		query: '(subscript value: (string) @text subscript: (slice) @slice) @reversed',
		needs: /::\s*-1/,
		check({ reversed, slice }, file) {
			if (reversed === undefined || slice?.text.replace(/\s+/g, '') !== '::-1') return;
			file.flowSource(reversed, 'decoded', 'a reversed string');
		},
	},
];
