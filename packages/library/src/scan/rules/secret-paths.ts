/**
 * Places where credentials live: SSH keys, system password files, cloud and developer
 * credentials, browser profiles and password databases, keychains and wallets. A string in
 * plugin code naming one of them is what `secret-path` reports.
 */

/** Cheap test on a whole file: does any string possibly name a secret place? */
export const SECRET_HINT =
	/\.ssh|id_(?:rsa|dsa|ecdsa|ed25519)|authorized_keys|\/etc\/(?:passwd|shadow|sudoers)|\.aws|\.netrc|credentials|\.gnupg|login data|cookies|logins\.json|key[34]\.db|\.mozilla|chrome|chromium|bravesoftware|edge|keychain|\.git-credentials|\.pgpass|\.docker|\.kube|\.pypirc|\.npmrc|wallet|\.electrum|find-(?:generic|internet)-password|cmdkey|vaultcmd|local state|web data|hosts\.yml|\.config\/hub|vault-token|rclone|git\/credentials|filezilla/i;

interface SecretPlace {
	label: string;
	pattern: RegExp;
}

/** Matched against the lowercased string with `\` turned into `/`. */
const PLACES: readonly SecretPlace[] = [
	{ label: 'SSH keys', pattern: /(?:^|[/~"'])\.ssh(?:\/|$)/ },
	{
		label: 'an SSH private key',
		pattern: /(?:^|[^a-z0-9])id_(?:rsa|dsa|ecdsa|ed25519)(?:$|[^a-z])/,
	},
	{ label: 'SSH authorised keys', pattern: /authorized_keys2?(?:$|[^a-z])/ },
	{ label: 'system password files', pattern: /\/etc\/(?:passwd|shadow|master\.passwd|sudoers)\b/ },
	{ label: 'AWS credentials', pattern: /\.aws\/(?:credentials|config)/ },
	{
		label: 'stored login credentials',
		pattern: /(?:^|\/|~)(?:\.netrc|_netrc|\.git-credentials|\.pgpass|\.pypirc|\.npmrc)$/,
	},
	{ label: 'container or cluster credentials', pattern: /\.docker\/config\.json|\.kube\/config/ },
	{ label: 'cloud credentials', pattern: /gcloud\/(?:credentials|application_default)|\.azure\// },
	{ label: 'GnuPG keys', pattern: /(?:^|\/|~)\.gnupg(?:\/|$)/ },
	{ label: 'a Firefox profile', pattern: /\.mozilla\/firefox|firefox\/profiles|mozilla\/firefox/ },
	{
		label: 'a Chromium-family browser profile',
		pattern:
			/google\/chrome|\.config\/google-chrome|\.config\/chromium|chromium\/(?:default|user data)|bravesoftware\/|microsoft\/edge\/user data|\/user data\/default/,
	},
	{
		label: 'a browser password or cookie database',
		pattern:
			/(?:^|\/)(?:login data|cookies\.sqlite|logins\.json|key[34]\.db)$|\/(?:cookies|web data|local state)$/,
	},
	{
		label: 'stored service tokens',
		pattern:
			/(?:^|\/)gh\/hosts\.yml|\.config\/hub$|\.vault-token|\.terraform\.d\/credentials|rclone\/rclone\.conf|\.config\/git\/credentials|\.cargo\/credentials|\.gem\/credentials|filezilla\/(?:recentservers|sitemanager)\.xml/,
	},
	{ label: 'the macOS keychain', pattern: /library\/keychains|login\.keychain/ },
	{ label: 'a cryptocurrency wallet', pattern: /wallet\.dat|\.electrum\/wallets|exodus\.wallet/ },
	{
		label: 'a password-store command',
		pattern: /find-(?:generic|internet)-password|cmdkey\s+\/list|vaultcmd/,
	},
];

/** What secret place a string names, if any. */
export function secretPlace(value: string): string | undefined {
	if (value.length > 4096) return undefined;
	const normal = value.toLowerCase().replace(/\\+/g, '/');
	for (const place of PLACES) if (place.pattern.test(normal)) return place.label;
	return undefined;
}
