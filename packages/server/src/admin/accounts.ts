/**
 * Accounts, API tokens and sign-in sessions. Roles: a `reporter` files trusted community
 * reports and nothing else (so it has no admin pages: its sessions are refused); a `maintainer`
 * edits plugins, the blacklist and incidents; an `admin` also manages accounts and tokens. Every check of a credential goes
 * through `authenticateToken` or `authenticateSession`, which refuse anything unknown, expired,
 * revoked or belonging to a disabled account.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { type Actor, ROLES, type Role } from '../store/actor.ts';
import { hashPassword, newSecret, secretHash, verifyPassword } from './secrets.ts';

export const TOKEN_PREFIX = 'vouch_';
export const SESSION_HOURS = 12;
const NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface Account {
	id: number;
	name: string;
	role: Role;
}

export interface AccountsOptions {
	db: Kysely<ServiceDatabase>;
	clock: () => Date;
	/** How a password is checked against its stored hash; scrypt (`secrets.ts`) unless a test counts the checks. */
	verifyPassword?: (password: string, stored: string) => Promise<boolean>;
}

export function isRole(value: string): value is Role {
	return (ROLES as readonly string[]).includes(value);
}

export function actorOf(account: Account): Actor {
	return { name: account.name, role: account.role };
}

const ROLE_RANK: Readonly<Record<Role, number>> = { reporter: 0, maintainer: 1, admin: 2 };

/**
 * May this role do what needs `needed`? Each role may do everything the ones below it may: an
 * admin what a maintainer may, a maintainer what a reporter may, and a reporter nothing more.
 */
export function roleAllows(role: Role, needed: Role): boolean {
	return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export function createAccounts({ db, clock, ...options }: AccountsOptions) {
	const verify = options.verifyPassword ?? verifyPassword;
	let standInHash: Promise<string> | undefined;
	/** A hash of a random password, made once, checked against when there is no account. */
	const standInPasswordHash = (): Promise<string> => {
		standInHash ??= hashPassword(newSecret('p_'));
		return standInHash;
	};
	async function accountById(id: number): Promise<Account | undefined> {
		const row = await db
			.selectFrom('accounts')
			.selectAll()
			.where('id', '=', id)
			.where('disabled', '=', 0)
			.executeTakeFirst();
		return row !== undefined && isRole(row.role)
			? { id: row.id, name: row.name, role: row.role }
			: undefined;
	}

	return {
		async create(name: string, role: Role, password?: string): Promise<Account> {
			if (!NAME.test(name)) {
				throw serverError(
					'BAD_REQUEST',
					'An account name is 1 to 63 lower-case letters, digits, dots, dashes or underscores.',
				);
			}
			if (password !== undefined && password.length < 12) {
				throw serverError('BAD_REQUEST', 'A password has at least 12 characters.');
			}
			const existing = await db
				.selectFrom('accounts')
				.select('id')
				.where('name', '=', name)
				.executeTakeFirst();
			if (existing !== undefined)
				throw serverError('BAD_REQUEST', `The account ${name} exists already.`);
			const row = await db
				.insertInto('accounts')
				.values({
					name,
					role,
					password_hash: password === undefined ? null : await hashPassword(password),
					created_at: clock().toISOString(),
					disabled: 0,
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			return { id: row.id, name, role };
		},

		/** Replaces the account's sign-in password, and ends its sessions. */
		async setPassword(account: Account, password: string): Promise<void> {
			if (password.length < 12)
				throw serverError('BAD_REQUEST', 'A password has at least 12 characters.');
			await db
				.updateTable('accounts')
				.set({ password_hash: await hashPassword(password) })
				.where('id', '=', account.id)
				.execute();
			await db.deleteFrom('sessions').where('account_id', '=', account.id).execute();
		},

		async byName(name: string): Promise<Account | undefined> {
			const row = await db
				.selectFrom('accounts')
				.select('id')
				.where('name', '=', name)
				.executeTakeFirst();
			return row === undefined ? undefined : accountById(row.id);
		},

		/** A new API token for the account; the token is returned once and stored only hashed. */
		async issueToken(account: Account, label: string, days?: number): Promise<string> {
			const token = newSecret(TOKEN_PREFIX);
			const now = clock();
			await db
				.insertInto('api_tokens')
				.values({
					token_hash: secretHash(token),
					account_id: account.id,
					label: label.slice(0, 200),
					created_at: now.toISOString(),
					expires_at:
						days === undefined ? null : new Date(now.getTime() + days * 86_400_000).toISOString(),
					revoked: 0,
				})
				.execute();
			return token;
		},

		async revokeToken(token: string): Promise<boolean> {
			const result = await db
				.updateTable('api_tokens')
				.set({ revoked: 1 })
				.where('token_hash', '=', secretHash(token))
				.executeTakeFirst();
			return Number(result.numUpdatedRows) > 0;
		},

		/** The account behind a bearer token, or UNAUTHENTICATED. */
		async authenticateToken(token: string | undefined): Promise<Account> {
			if (token === undefined || !token.startsWith(TOKEN_PREFIX) || token.length > 200)
				throw unauthenticated();
			const row = await db
				.selectFrom('api_tokens')
				.selectAll()
				.where('token_hash', '=', secretHash(token))
				.executeTakeFirst();
			if (row === undefined || row.revoked !== 0) throw unauthenticated();
			if (row.expires_at !== null && row.expires_at <= clock().toISOString())
				throw unauthenticated();
			const account = await accountById(row.account_id);
			if (account === undefined) throw unauthenticated();
			return account;
		},

		/** Checks a password; undefined for any failure, so a caller cannot tell which part was wrong. */
		async signIn(name: string, password: string): Promise<Account | undefined> {
			const row = await db
				.selectFrom('accounts')
				.selectAll()
				.where('name', '=', name)
				.where('disabled', '=', 0)
				.executeTakeFirst();
			if (row?.password_hash === null || row === undefined || !isRole(row.role)) {
				// The same scrypt work as for a real account, so the answer's time does not tell
				// which account names exist.
				await verify(password, await standInPasswordHash());
				return undefined;
			}
			return (await verify(password, row.password_hash))
				? { id: row.id, name: row.name, role: row.role }
				: undefined;
		},

		/** A new session: the cookie value (sent once) and the form token bound to it. */
		async startSession(
			account: Account,
		): Promise<{ cookie: string; csrfToken: string; expiresAt: Date }> {
			const cookie = newSecret('s_');
			const csrfToken = newSecret('c_');
			const now = clock();
			const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000);
			await db
				.insertInto('sessions')
				.values({
					session_hash: secretHash(cookie),
					account_id: account.id,
					csrf_token: csrfToken,
					created_at: now.toISOString(),
					expires_at: expiresAt.toISOString(),
				})
				.execute();
			return { cookie, csrfToken, expiresAt };
		},

		/** The account and form token of a session cookie, or UNAUTHENTICATED. */
		async authenticateSession(
			cookie: string | undefined,
		): Promise<{ account: Account; csrfToken: string }> {
			if (cookie === undefined || cookie.length > 200) throw unauthenticated();
			const row = await db
				.selectFrom('sessions')
				.selectAll()
				.where('session_hash', '=', secretHash(cookie))
				.executeTakeFirst();
			if (row === undefined || row.expires_at <= clock().toISOString()) throw unauthenticated();
			const account = await accountById(row.account_id);
			// The admin pages are a maintainer's: a reporter's token files reports, nothing more.
			if (account === undefined || !roleAllows(account.role, 'maintainer')) throw unauthenticated();
			return { account, csrfToken: row.csrf_token };
		},

		async endSession(cookie: string): Promise<void> {
			await db.deleteFrom('sessions').where('session_hash', '=', secretHash(cookie)).execute();
		},
	};
}

export type Accounts = ReturnType<typeof createAccounts>;

function unauthenticated() {
	return serverError('UNAUTHENTICATED', 'Sign in, or send a valid API token.', {
		hint: 'Create a token with `vouch-server token create <account>`.',
	});
}
