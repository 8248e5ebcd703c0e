/**
 * `url_regex` and path case (D2, D3). On a host whose repository paths are case-insensitive
 * (github.com and the profile's list), `github.com/EvilOrg/x` and `github.com/evilorg/x` are
 * one repository, and the canonical form is lowercase. A pattern copied from a browser with
 * its capitals (`github\.com/EvilOrg/`) would then match only the spelling the attacker avoids.
 * So on such a host a pattern with a capital letter is also searched without case. Patterns
 * in lowercase need nothing more: the canonical form they are searched in is lowercase.
 */

/** Whether a pattern needs the case-blind search on a case-insensitive host. */
export function hasCapitals(pattern: string): boolean {
	return /[A-Z]/.test(pattern);
}
