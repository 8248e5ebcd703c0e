/**
 * Places whose files run code later: interpreter start-up hooks, shell start-up files, desktop
 * autostart entries, service managers, schedulers, login items and registry run keys. A plugin
 * that writes there keeps running after it is removed, which no honest plugin needs. Also the
 * environment variables that hold secrets, for the secrets class.
 */
import type { HostScanTable } from './host.ts';

/** Cheap test on a whole file before its strings are looked at. */
export const PLACE_HINT =
	/\.pth\b|customize|\.(?:bash|zsh|ksh|csh|tcsh|python|xinit)rc|rc\.local|\.(?:bash_|z)?profile\b|\/etc\/profile|powershell_profile|windowspowershell|\.zshenv|\.zlogin|\.xsession|bash_login|\/etc\/environment|autostart|systemd|systemctl|crontab|\/cron|cron\.d|launch(?:agents|daemons|ctl)|loginitems|currentversion|programs[\\/]+startup|shell:startup|schtasks|winlogon|image file execution|\.git[\\/]+hooks|preload|plugins3|musicbrainz|picard\.(?:ini|conf)|picard[\\/]+plugins|password-store|kdbx|keepass|1password|bitwarden|keyrings|kwallet|thunderbird|purple|discord|telegram|tdata|ssfn|loginusers|local storage|leveldb|\{24|\{84\}|dQw4w9WgXcQ|login data|local state|web data|os_crypt|encrypted_key|CryptUnprotectData|exodus|electrum|armory|coinomi|guarda|jaxx|keystore|monero|nkbihfbeogaeaoehlefnkodbefgpgknn|bfnaelmomeimhlpmgjnjophhpkkoljpa|hnfanknocfeofbddgcijnmhnfnkdnaad|fhbohimaelbohpjbbldcngcnapndodjp|ibnejdfjmmkpcnlpebklmnkoeoihofec|fnjhmkhhmkbjkkabndcnnogagogbneec|ejbalbakoplchlghecdalmeeeajnimhm|egjidjbpglichdcondbcbdnbeeppgdph|\{40\}|bc1|\[13\]|curl|wget|\b(?:nc|ncat|netcat|socat|telnet|tftp|ftp|scp|sftp|rsync|ssh)\s|\/dev\/(?:tcp|udp)|extensions|app\.asar|resources|-packages|packages|node_modules|plugins|addons|plug-ins|components|program files|\.app\b/i;

interface Place {
	label: string;
	pattern: RegExp;
}

/** Matched against the lowercased string with `\` turned into `/`. */
const PERSISTENCE: readonly Place[] = [
	{ label: 'a Python start-up hook (.pth)', pattern: /[\w-]\.pth$/ },
	{ label: 'a Python start-up hook', pattern: /(?:^|\/)(?:sitecustomize|usercustomize)(?:\.py)?$/ },
	{ label: 'a Python start-up file', pattern: /(?:^|\/)\.pythonrc(?:\.py)?$/ },
	{
		label: 'a shell start-up file',
		pattern:
			/(?:^|\/|~)\.(?:bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin|kshrc|cshrc|tcshrc|xprofile|xinitrc|xsessionrc|xsession)$|\.config\/fish\/config\.fish|^\/etc\/(?:profile|bash\.bashrc|zsh\/zshrc|rc\.local|environment)(?:\.d)?(?:\/|$)/,
	},
	{ label: 'a PowerShell profile', pattern: /powershell_profile\.ps1|windowspowershell\/profile/ },
	{ label: 'desktop autostart entries', pattern: /(?:^|\/)autostart(?:\/|$)/ },
	{
		label: 'a systemd unit',
		pattern:
			/systemd\/(?:user|system)(?:\/|$)|\/etc\/systemd\/|\.config\/systemd|\bsystemctl\b.*\benable\b/,
	},
	{
		label: 'a cron table',
		pattern:
			/\bcrontab\b|\/etc\/cron|\/var\/spool\/cron|(?:^|\/)cron\.(?:d|daily|hourly|weekly|monthly)(?:\/|$)/,
	},
	{
		label: 'a macOS launch agent or login item',
		pattern: /launchagents|launchdaemons|\blaunchctl\b|loginitems/,
	},
	{
		label: 'a Windows run key or start-up folder',
		pattern:
			/currentversion\/(?:run|runonce|runservices|policies\/explorer\/run)(?:\/|$)|start menu\/programs\/startup|\bschtasks\b|shell:startup|currentversion\/winlogon|image file execution options/,
	},
	{ label: 'git hooks', pattern: /\.git\/hooks(?:\/|$)/ },
	{ label: 'the dynamic loader’s preload list', pattern: /ld\.so\.preload|\bld_preload\b/ },
];

function normal(value: string): string | undefined {
	if (value.length > 4096) return undefined;
	return value.toLowerCase().replace(/\\+/g, '/');
}

/** What persistence location a string names, if any. */
export function persistencePlace(value: string): string | undefined {
	const text = normal(value);
	if (text === undefined) return undefined;
	for (const place of PERSISTENCE) if (place.pattern.test(text)) return place.label;
	return undefined;
}

/**
 * Secret stores the shared credential-path table does not name: password managers' files,
 * desktop keyrings and wallets, mail and chat account files.
 */
const SECRET_STORES: readonly Place[] = [
	{
		label: 'a password manager store',
		pattern: /\.password-store(?:\/|$)|\.kdbx$|keepass|1password|bitwarden/,
	},
	{ label: 'the desktop keyring', pattern: /\.local\/share\/keyrings|kwalletd?|\/kwallet/ },
	{
		label: 'mail or chat account files',
		pattern:
			/\.thunderbird\/|\.purple\/accounts\.xml|\.config\/discord|telegram desktop\/tdata|^tdata$|(?:^|\/)ssfn|loginusers\.vdf/,
	},
	// Token stealers read Discord's and browsers' Local Storage and grep it for tokens; the
	// path is often joined from pieces, so each piece counts on its own.
	{
		label: 'browser or Electron local storage, where session tokens are kept',
		pattern: /local storage\/leveldb|^local storage$|^leveldb$/,
	},
	{
		label: 'a Discord token pattern',
		pattern: /\{24,?\d*\}.{0,16}\{6\}.{0,16}\{2[57],?\d*\}|mfa.{1,3}\[[^\]]*\]\{84\}|dqw4w9wgxcq:/,
	},
	// Chromium keeps its password key in Local State, DPAPI-protected: these names are what a
	// password stealer decrypts, and nothing else refers to them.
	{
		label: 'a browser password database or its key',
		pattern: /^(?:login data|local state|web data|os_crypt|encrypted_key)$|cryptunprotectdata/,
	},
	{
		label: 'a cryptocurrency wallet',
		pattern:
			/(?:^|\/)(?:exodus|electrum|armory|coinomi|guarda|com\.liberty\.jaxx)(?:\/|$)|ethereum\/keystore|monero\/wallets|nkbihfbeogaeaoehlefnkodbefgpgknn|bfnaelmomeimhlpmgjnjophhpkkoljpa|hnfanknocfeofbddgcijnmhnfnkdnaad|fhbohimaelbohpjbbldcngcnapndodjp|ibnejdfjmmkpcnlpebklmnkoeoihofec|fnjhmkhhmkbjkkabndcnnogagogbneec|ejbalbakoplchlghecdalmeeeajnimhm|egjidjbpglichdcondbcbdnbeeppgdph/,
	},
	// Clipboard hijackers match a copied address to swap in their own.
	{
		label: 'a cryptocurrency address pattern',
		pattern: /0x\[[a-f0-9-]+\]\{40\}|\(bc1\||\[13\]\[a-/,
	},
];

/** What secret store a string names, beyond the credential paths `secret-path` knows. */
export function secretStore(value: string): string | undefined {
	const text = normal(value);
	if (text === undefined) return undefined;
	for (const place of SECRET_STORES) if (place.pattern.test(text)) return place.label;
	return undefined;
}

/** A shell command that moves data over the network: `curl ... | sh`, `nc host 4444`. */
const NETWORK_COMMAND =
	/(?:^|[\s|;&(`$'"])(?:curl|wget)\s+\S|(?:^|[\s|;&(`$'"])(?:nc|ncat|netcat|socat|telnet|tftp|ftp|scp|sftp|rsync|ssh)\s+(?:-\S+\s+)*[\w.@:/-]+\s*(?:\d+|:)|\/dev\/(?:tcp|udp)\//;

export function networkCommand(value: string): boolean {
	return value.length <= 4096 && NETWORK_COMMAND.test(value);
}

/**
 * Other programs' code and configuration: what a plugin writing there changes is another
 * application (Discord's core module, a browser's extensions, an editor's or player's plugins,
 * the interpreter's installed packages, another package's code). Token stealers inject into
 * Discord's `discord_desktop_core`; worms spread through other plugin folders and packages.
 */
const OTHER_APPS: readonly Place[] = [
	{
		label: 'Discord’s or another Electron application’s code',
		pattern: /discord_desktop_core|discord_voice|(?:^|\/)resources\/app(?:\.asar)?(?:\/|$)/,
	},
	{
		label: 'a browser’s extensions',
		pattern:
			/(?:google-chrome|chromium|chrome|brave-browser|bravesoftware|microsoft\/edge|microsoft edge|vivaldi|opera software|opera)\/.*\bextensions(?:\/|$)|user data\/[^/]+\/extensions(?:\/|$)|\.mozilla\/firefox\/.*\/extensions(?:\/|$)/,
	},
	{
		label: 'another application’s plugins or add-ons',
		pattern:
			/\.vscode(?:-server|-oss)?\/extensions|sublime text(?: \d)?\/(?:packages|installed packages)|\.obsidian\/plugins|\.atom\/packages|jetbrains\/[^/]+\/plugins|notepad\+\+\/plugins|rhythmbox\/plugins|quodlibet\/plugins|beets\/plugins|foobar2000(?:-v2)?\/(?:user-)?components|blender\/[^/]+\/scripts\/addons|gimp\/[^/]+\/plug-ins|audacity\/plug-ins|\.thunderbird\/.*\/extensions/,
	},
	{
		label: 'the interpreter’s installed packages',
		pattern: /(?:^|\/)(?:site|dist)-packages(?:\/|$)/,
	},
	{ label: 'another package’s code', pattern: /(?:^|\/)node_modules\/(?!\.cache(?:\/|$))[^/]/ },
];

/** Whether a string names another program's code or configuration, or the host's install. */
export function otherAppPlace(value: string, host: HostScanTable): string | undefined {
	const text = normal(value);
	if (text === undefined) return undefined;
	if (host.installDirs.some((pattern) => pattern.test(text))) return 'the host’s installed code';
	for (const place of OTHER_APPS) if (place.pattern.test(text)) return place.label;
	return undefined;
}

/** Whether a string names the host's configuration or plugins directory. */
export function hostPlace(value: string, host: HostScanTable): string | undefined {
	const text = normal(value);
	if (text === undefined) return undefined;
	if (host.configFiles.some((pattern) => pattern.test(text))) return 'the host’s configuration';
	if (host.pluginDirs.some((pattern) => pattern.test(text))) return 'the host’s plugins directory';
	return undefined;
}

/** Environment variables that hold credentials. */
export const SECRET_ENV_NAME =
	/(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH|COOKIE|SESSION)(?:_|$)|^(?:AWS_|GITHUB_|GH_|GITLAB_|NPM_|PYPI_|TWINE_|AZURE_|GOOGLE_APPLICATION_CREDENTIALS|OPENAI_|SLACK_|DISCORD_|SSH_AUTH_SOCK)/i;
