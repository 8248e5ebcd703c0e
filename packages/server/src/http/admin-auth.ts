/**
 * Bearer tokens for the admin API. Every request is authenticated through `authenticateToken`
 * (unknown, expired, revoked and disabled all look the same: a 401), then each route states
 * the role it needs.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { type Account, type Accounts, roleAllows } from '../admin/accounts.ts';
import { serverError } from '../errors.ts';
import type { Role } from '../store/actor.ts';

export type AdminEnv = { Variables: { account: Account } };

export function bearerAuth(accounts: Accounts): MiddlewareHandler<AdminEnv> {
	return async (c, next) => {
		const header = c.req.header('authorization');
		const match = header === undefined ? null : /^Bearer ([^\s]{1,200})$/i.exec(header);
		c.set('account', await accounts.authenticateToken(match?.[1]));
		await next();
	};
}

/** The signed-in account, if its role allows `needed`; else FORBIDDEN. */
export function requireRole(c: Context<AdminEnv>, needed: Role): Account {
	const account = c.get('account');
	if (!roleAllows(account.role, needed)) {
		throw serverError('FORBIDDEN', `This needs the ${needed} role.`, {
			hint: 'Ask an admin to do it, or to give your account that role.',
		});
	}
	return account;
}
