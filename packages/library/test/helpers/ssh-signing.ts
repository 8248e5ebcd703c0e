/**
 * Real SSH signing keys and SSH-signed tags for the author-signature tests. Keys come from
 * ssh-keygen with no passphrase; tags are signed by plain git with `gpg.format=ssh`, the way
 * an author would sign a release.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTestGit, type TestRepo } from './git-repos.ts';
import { makeTempDir } from './temp.ts';

export interface SigningKey {
	/** The private key file. */
	privateKey: string;
	/** The `.pub` file next to it. */
	publicKey: string;
	/** `ssh-ed25519 AAAA... comment`, as a registry's `signers` holds it. */
	line: string;
	/** `SHA256:...`, as ssh-keygen prints it. */
	fingerprint: string;
}

const keyDir = makeTempDir('vouch-ssh-keys-');
let keys = 0;

export function makeSigningKey(comment = `author-${keys}@example.invalid`): SigningKey {
	const privateKey = join(keyDir, `key-${keys++}`);
	execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', privateKey]);
	const publicKey = `${privateKey}.pub`;
	const line = readFileSync(publicKey, 'utf8').trim();
	const fingerprint = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKey], {
		encoding: 'utf8',
	}).split(' ')[1] as string;
	return { privateKey, publicKey, line, fingerprint };
}

/** Signs a new annotated tag `name` at `target` (default HEAD) with `key`; returns its object id. */
export function signTag(
	repo: TestRepo,
	name: string,
	key: SigningKey,
	options: { message?: string; target?: string } = {},
): string {
	runTestGit(repo.dir, [
		'-c',
		'gpg.format=ssh',
		'-c',
		`user.signingkey=${key.publicKey}`,
		'tag',
		'-s',
		'-m',
		options.message ?? `release ${name}`,
		name,
		options.target ?? 'HEAD',
	]);
	return runTestGit(repo.dir, ['rev-parse', `refs/tags/${name}`]);
}

/**
 * Stores an edited copy of tag object `source` (signature kept) and points `refs/tags/<name>`
 * at it, the way someone with write access to the server could. Returns the new object id.
 */
export function forgeTag(
	repo: TestRepo,
	name: string,
	source: string,
	edit: (text: string) => string,
): string {
	const file = join(makeTempDir('vouch-forged-tag-'), 'tag');
	writeFileSync(file, edit(`${runTestGit(repo.dir, ['cat-file', 'tag', source])}\n`));
	const id = runTestGit(repo.dir, ['hash-object', '-t', 'tag', '-w', file]);
	runTestGit(repo.dir, ['update-ref', `refs/tags/${name}`, id]);
	return id;
}

/**
 * An allowed-signers file (ssh-keygen(1)) listing `keys` for git signatures, as an author
 * would write one to check their own tags.
 */
export function allowedSignersFile(keys: readonly SigningKey[]): string {
	const file = join(makeTempDir('vouch-allowed-'), 'allowed_signers');
	const lines = keys.map((key, index) => {
		const [type, base64] = key.line.split(' ');
		return `signer-${index + 1} namespaces="git" ${type} ${base64}\n`;
	});
	writeFileSync(file, lines.join(''));
	return file;
}
