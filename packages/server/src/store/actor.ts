/** Who makes a change through the service: an account, by its name and role. */
export type Role = 'maintainer' | 'admin';

export const ROLES: readonly Role[] = ['maintainer', 'admin'];

export interface Actor {
	/** The account name (or the system's own name for imports it makes). */
	name: string;
	role: Role;
	/** A TUF key id (SHA-256 hex) the actor signs with, recorded as the log's actor. */
	keyId?: string;
}
