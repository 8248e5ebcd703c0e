/**
 * Archives a plugin ships: zip, tar and gzip-compressed tar. Code that extracts one writes each
 * member where its name says, so a member named `../../.bashrc`, an absolute path, or a link
 * leading out of the destination drops a file anywhere the user can write (zip slip), and
 * none of it appears in the code a reviewer reads. The member list is read (never extracted),
 * within bounds on the bytes read, the bytes unpacked and the members looked at; an archive
 * past them is reported as not checked rather than half-judged.
 */
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { sanitizeText } from '../../core/sanitize.ts';

/** Most bytes of one archive read. */
export const MAX_ARCHIVE_BYTES = 16 * 1024 * 1024;
/** Most bytes a compressed tar is unpacked to. */
const MAX_UNPACKED = 64 * 1024 * 1024;
/** Most members looked at in one archive. */
export const MAX_MEMBERS = 10_000;
/** Most escaping members named in findings. */
const MAX_REPORTED = 5;
/** Longest symlink target read from a zip member. */
const MAX_LINK = 4096;

/** An archive no extractor could read: judged by its type alone, like any other blob. */
const DAMAGED = 'damaged';

export type ArchiveCheck =
	| { status: 'checked'; escapes: string[] }
	/** Past a bound: what it holds is unknown. */
	| { status: 'unchecked'; reason: string }
	/** Not a zip or tar, or too damaged for an extractor to read either. */
	| { status: 'not-an-archive' };

interface Member {
	name: string;
	/** For links: where it points, and whether it is a symlink (else a hard link). */
	link?: string;
	symlink?: boolean;
}

function printable(text: string): string {
	// Member names are chosen by whoever built the archive, and shown in reports (D24).
	return sanitizeText(text, { maxLength: 200 });
}

/** Segments of a path, `\` read as `/` (Windows extractors do) and empty or `.` ones dropped. */
function segments(path: string): string[] {
	return path.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
}

function isAbsolute(path: string): boolean {
	return /^[\\/]/.test(path) || /^[A-Za-z]:/.test(path);
}

/** Whether `path`, taken from `base` (segments under the destination), climbs above it. */
function climbsOut(base: readonly string[], path: string): boolean {
	if (isAbsolute(path)) return true;
	let depth = base.length;
	for (const part of segments(path)) {
		depth += part === '..' ? -1 : 1;
		if (depth < 0) return true;
	}
	return false;
}

function escapeOf(member: Member): string | undefined {
	if (climbsOut([], member.name)) return `${printable(member.name)} leads out of the destination`;
	if (member.link === undefined) return undefined;
	// A symlink is read from its own directory; a tar hard link names another member.
	const base = member.symlink === true ? segments(member.name).slice(0, -1) : [];
	if (climbsOut(base, member.link)) {
		const kind = member.symlink === true ? 'a symlink' : 'a hard link';
		return `${printable(member.name)} is ${kind} to ${printable(member.link)}, outside the destination`;
	}
	return undefined;
}

function zipMembers(bytes: Buffer): Member[] | string {
	// The end-of-central-directory record: within the last 64 KiB and 22 bytes.
	const floor = Math.max(0, bytes.length - 65_557);
	let end = -1;
	for (let at = bytes.length - 22; at >= floor; at--) {
		if (bytes.readUInt32LE(at) === 0x06054b50) {
			end = at;
			break;
		}
	}
	if (end === -1) return DAMAGED;
	const count = bytes.readUInt16LE(end + 10);
	let at = bytes.readUInt32LE(end + 16);
	if (count > MAX_MEMBERS) return `over ${MAX_MEMBERS} members`;
	const members: Member[] = [];
	for (let i = 0; i < count; i++) {
		if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== 0x02014b50) {
			return DAMAGED;
		}
		const nameLength = bytes.readUInt16LE(at + 28);
		const extra = bytes.readUInt16LE(at + 30);
		const comment = bytes.readUInt16LE(at + 32);
		const external = bytes.readUInt32LE(at + 38);
		const local = bytes.readUInt32LE(at + 42);
		const name = bytes.toString('utf8', at + 46, Math.min(bytes.length, at + 46 + nameLength));
		const member: Member = { name };
		// Unix mode in the high half of the external attributes: a symlink's target is its data.
		if (((external >>> 16) & 0o170000) === 0o120000) {
			member.symlink = true;
			member.link = zipData(bytes, local, bytes.readUInt32LE(at + 20)) ?? '/';
		}
		members.push(member);
		at += 46 + nameLength + extra + comment;
	}
	return members;
}

/** A small member's data (a symlink's target); undefined when it cannot be read. */
function zipData(bytes: Buffer, local: number, size: number): string | undefined {
	if (local + 30 > bytes.length || bytes.readUInt32LE(local) !== 0x04034b50) return undefined;
	const method = bytes.readUInt16LE(local + 8);
	const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
	const data = bytes.subarray(start, Math.min(bytes.length, start + Math.min(size, MAX_LINK)));
	try {
		if (method === 0) return data.toString('utf8');
		if (method === 8) return inflateRawSync(data, { maxOutputLength: MAX_LINK }).toString('utf8');
	} catch {
		return undefined;
	}
	return undefined;
}

function field(block: Buffer, from: number, length: number): string {
	const raw = block.subarray(from, from + length);
	const nul = raw.indexOf(0);
	return raw.toString('utf8', 0, nul === -1 ? raw.length : nul);
}

/** A pax header's records: `length key=value\n`. */
function paxRecords(data: Buffer): Map<string, string> {
	const records = new Map<string, string>();
	for (const line of data.toString('utf8').split('\n')) {
		const match = /^\d+ ([^=]+)=(.*)$/s.exec(line);
		if (match?.[1] !== undefined && match[2] !== undefined) records.set(match[1], match[2]);
	}
	return records;
}

export function isTar(bytes: Uint8Array): boolean {
	return (
		bytes.length >= 263 && Buffer.from(bytes.subarray(257, 262)).toString('latin1') === 'ustar'
	);
}

function tarMembers(bytes: Buffer): Member[] | string {
	const members: Member[] = [];
	let at = 0;
	let longName: string | undefined;
	let longLink: string | undefined;
	let pax = new Map<string, string>();
	while (at + 512 <= bytes.length) {
		const block = bytes.subarray(at, at + 512);
		if (block.every((byte) => byte === 0)) break;
		if (members.length >= MAX_MEMBERS) return `over ${MAX_MEMBERS} members`;
		const size = Number.parseInt(field(block, 124, 12).trim() || '0', 8);
		if (!Number.isFinite(size) || size < 0) return DAMAGED;
		const type = String.fromCharCode(block[156] ?? 0);
		const data = bytes.subarray(at + 512, Math.min(bytes.length, at + 512 + size));
		at += 512 + Math.ceil(size / 512) * 512;
		// GNU long names and pax headers describe the member that follows.
		if (type === 'L') longName = field(data, 0, data.length);
		else if (type === 'K') longLink = field(data, 0, data.length);
		else if (type === 'x') pax = paxRecords(data);
		else if (type !== 'g') {
			const prefix = field(block, 345, 155);
			const short = field(block, 0, 100);
			const name = pax.get('path') ?? longName ?? (prefix === '' ? short : `${prefix}/${short}`);
			const member: Member = { name };
			if (type === '1' || type === '2') {
				member.link = pax.get('linkpath') ?? longLink ?? field(block, 157, 100);
				member.symlink = type === '2';
			}
			members.push(member);
			longName = undefined;
			longLink = undefined;
			pax = new Map();
		}
	}
	return members;
}

/** Reads the member list of an archive's bytes and names the members that lead out. */
export function checkArchive(bytes: Uint8Array): ArchiveCheck {
	let buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let members: Member[] | string;
	if (buffer.readUInt32LE(0) === 0x04034b50) members = zipMembers(buffer);
	else {
		if (buffer[0] === 0x1f && buffer[1] === 0x8b) {
			try {
				buffer = gunzipSync(buffer, { maxOutputLength: MAX_UNPACKED });
			} catch (error) {
				if ((error as { code?: string }).code !== 'ERR_BUFFER_TOO_LARGE') {
					return { status: 'not-an-archive' };
				}
				return {
					status: 'unchecked',
					reason: `unpacks to over ${MAX_UNPACKED / 1024 / 1024} MiB`,
				};
			}
		}
		if (!isTar(buffer)) return { status: 'not-an-archive' };
		members = tarMembers(buffer);
	}
	if (members === DAMAGED) return { status: 'not-an-archive' };
	if (typeof members === 'string') return { status: 'unchecked', reason: members };
	const escapes: string[] = [];
	for (const member of members) {
		const leak = escapeOf(member);
		if (leak !== undefined) escapes.push(leak);
		if (escapes.length >= MAX_REPORTED) break;
	}
	return { status: 'checked', escapes };
}
