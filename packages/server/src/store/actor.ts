/**
 * Who makes a change through the service: an account, by its name and role. A `reporter` may
 * only file trusted community reports (D22); a `maintainer` edits plugins, the blacklist and
 * incidents; an `admin` also manages accounts and tokens.
 */
export type Role = 'reporter' | 'maintainer' | 'admin';

export const ROLES: readonly Role[] = ['reporter', 'maintainer', 'admin'];

export interface Actor {
	/** The account name (or the system's own name for imports it makes). */
	name: string;
	role: Role;
	/** A TUF key id (SHA-256 hex) the actor signs with, recorded as the log's actor. */
	keyId?: string;
}
