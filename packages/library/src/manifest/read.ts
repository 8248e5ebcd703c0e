/**
 * Reads MANIFEST.toml from a plugin directory (or a file path) without trusting the
 * repository it came from: a symlinked manifest may not lead outside the plugin directory
 * (it could otherwise make Vouch read, and echo parts of, any file the user can read), a FIFO
 * or device is refused without blocking, and at most the size bound is read.
 */
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import { manifestError } from './errors.ts';
import { MAX_MANIFEST_BYTES } from './limits.ts';
import type { ManifestOptions, ManifestResult } from './model.ts';
import { parseManifestText } from './parse.ts';

export const MANIFEST_FILE_NAME = 'MANIFEST.toml';

// O_NOFOLLOW closes the gap between the symlink check and the open; O_NONBLOCK keeps a FIFO
// planted as MANIFEST.toml from hanging the open. Both are 0 where the platform lacks them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

function errnoCode(error: unknown): string | undefined {
	return typeof error === 'object' && error !== null && 'code' in error
		? String((error as { code: unknown }).code)
		: undefined;
}

function notFound(where: string, cause?: unknown) {
	return manifestError(
		'MANIFEST_NOT_FOUND',
		`No ${MANIFEST_FILE_NAME} found at ${sanitizeText(where)}.`,
		{
			hint: `A plugin directory must contain a ${MANIFEST_FILE_NAME}; pass the plugin directory or the file itself.`,
			cause,
		},
	);
}

function readFailure(path: string, error: unknown) {
	const code = errnoCode(error);
	if (code === 'ENOENT' || code === 'ENOTDIR') return notFound(path, error);
	if (code === 'ELOOP') return symlinkEscape(path, error);
	return manifestError(
		'MANIFEST_READ_ERROR',
		`Could not read ${sanitizeText(path)} (${code ?? 'I/O error'}).`,
		{
			hint: 'Check that the file exists and is readable.',
			cause: error,
		},
	);
}

function symlinkEscape(path: string, cause?: unknown) {
	return manifestError(
		'MANIFEST_SYMLINK_ESCAPE',
		`${sanitizeText(path)} is a symlink that leads outside the plugin directory.`,
		{ hint: 'A plugin must ship its manifest as a file inside its own directory.', cause },
	);
}

async function statOrUndefined(read: () => Promise<Stats>): Promise<Stats | undefined> {
	try {
		return await read();
	} catch (error) {
		const code = errnoCode(error);
		if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
		throw error;
	}
}

function isInside(dir: string, path: string): boolean {
	const rel = relative(dir, path);
	return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** Where to read: the manifest path, and the path to open once symlinks are judged. */
async function locate(pathOrDir: string): Promise<{ manifestPath: string; openPath: string }> {
	const target = resolve(pathOrDir);
	// The argument itself is the user's choice, so a symlink there is followed.
	const targetStat = await statOrUndefined(() => stat(target)).catch((e) => {
		throw readFailure(target, e);
	});
	if (targetStat === undefined) throw notFound(target);
	const manifestPath = targetStat.isDirectory() ? join(target, MANIFEST_FILE_NAME) : target;
	const pluginDir = dirname(manifestPath);
	const linkStat = await statOrUndefined(() => lstat(manifestPath)).catch((e) => {
		throw readFailure(manifestPath, e);
	});
	if (linkStat === undefined) throw notFound(manifestPath);
	if (!linkStat.isSymbolicLink()) return { manifestPath, openPath: manifestPath };
	let real: string;
	try {
		real = await realpath(manifestPath);
	} catch (error) {
		throw readFailure(manifestPath, error);
	}
	if (!isInside(await realpath(pluginDir), real)) throw symlinkEscape(manifestPath);
	return { manifestPath, openPath: real };
}

/** Reads at most the size bound plus one byte, so an oversized file is detected, not loaded. */
async function readBounded(manifestPath: string, openPath: string): Promise<Buffer> {
	let handle: Awaited<ReturnType<typeof open>>;
	try {
		handle = await open(openPath, OPEN_FLAGS);
	} catch (error) {
		throw readFailure(manifestPath, error);
	}
	try {
		const info = await handle.stat();
		if (!info.isFile()) {
			throw manifestError(
				'MANIFEST_NOT_A_FILE',
				`${sanitizeText(manifestPath)} is not a regular file.`,
				{
					hint: `${MANIFEST_FILE_NAME} must be a plain file.`,
				},
			);
		}
		if (info.size > MAX_MANIFEST_BYTES) throw tooLargeFile(manifestPath);
		const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1);
		let filled = 0;
		while (filled < buffer.length) {
			const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
			if (bytesRead === 0) break;
			filled += bytesRead;
		}
		if (filled > MAX_MANIFEST_BYTES) throw tooLargeFile(manifestPath);
		return buffer.subarray(0, filled);
	} finally {
		await handle.close();
	}
}

function tooLargeFile(path: string) {
	return manifestError(
		'MANIFEST_TOO_LARGE',
		`${sanitizeText(path)} is larger than ${MAX_MANIFEST_BYTES / 1024} KiB; no real manifest comes near that.`,
		{ hint: 'A manifest holds metadata only; move long texts into the plugin documentation.' },
	);
}

function decodeUtf8(bytes: Buffer, path: string): string {
	try {
		// ignoreBOM keeps a byte-order mark in the text, so the TOML 1.0 check can refuse it.
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch (error) {
		throw manifestError('MANIFEST_PARSE_ERROR', `${sanitizeText(path)} is not valid UTF-8.`, {
			hint: 'Save the manifest as UTF-8.',
			cause: error,
		});
	}
}

/**
 * Reads and validates a plugin's manifest. `pathOrDir` is a plugin directory (its
 * MANIFEST.toml is read) or the manifest file itself. Throws `VouchError` for file-level
 * failures; field problems are in the result's `errors`.
 */
export async function readManifest(
	pathOrDir: string,
	options: ManifestOptions = {},
): Promise<ManifestResult> {
	const { manifestPath, openPath } = await locate(pathOrDir);
	const bytes = await readBounded(manifestPath, openPath);
	return parseManifestText(decodeUtf8(bytes, manifestPath), manifestPath, options);
}
