/**
 * The environment and configuration every git run gets. The caller's environment is kept
 * (proxies, ssh agent, credential helpers, HOME), with the changes below, each for a reason.
 */
import { gitAllowProtocol } from '../core/transport-policy.ts';

/**
 * Variables that point git at a particular repository or object store. Inherited from a
 * surrounding git (Vouch started from a hook, say), they would make every command act on that
 * repository instead of the one named, so they are dropped. The trace variables go too: they
 * write into stderr, which is parsed.
 */
const DROPPED_VARIABLES: ReadonlySet<string> = new Set([
	'GIT_DIR',
	'GIT_WORK_TREE',
	'GIT_INDEX_FILE',
	'GIT_OBJECT_DIRECTORY',
	'GIT_ALTERNATE_OBJECT_DIRECTORIES',
	'GIT_COMMON_DIR',
	'GIT_NAMESPACE',
	'GIT_PREFIX',
	'GIT_SHALLOW_FILE',
	'GIT_GRAFT_FILE',
	'GIT_REPLACE_REF_BASE',
	'GIT_INTERNAL_SUPER_PREFIX',
	'GIT_QUARANTINE_PATH',
	'GIT_CURL_VERBOSE',
]);

export interface GitEnvironmentOptions {
	/** Also allow `http` and `git` (D11, `--allow-insecure-transport`). */
	allowInsecureTransport: boolean;
}

/**
 * `GIT_ALLOW_PROTOCOL`: what git itself may use, whatever a URL or redirect asks for (the
 * list lives in `core/transport-policy.ts`). With `url`, the plain transport of a loopback
 * address is let through for the one process that uses it.
 */
export function allowedProtocols(allowInsecureTransport: boolean, url?: string): string {
	return gitAllowProtocol({ allowInsecureTransport, ...(url === undefined ? {} : { url }) });
}

export function gitEnvironment(
	base: Readonly<Record<string, string | undefined>>,
	options: GitEnvironmentOptions,
): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(base)) {
		if (value === undefined || DROPPED_VARIABLES.has(name) || name.startsWith('GIT_TRACE')) {
			continue;
		}
		env[name] = value;
	}
	// Overrides protocol.allow in any config file too, and applies to redirects and to every
	// git process started below this one (D11). ext::, fd:: and anything unknown stay refused.
	env.GIT_ALLOW_PROTOCOL = allowedProtocols(options.allowInsecureTransport);
	// Nobody is at a prompt: git must fail rather than wait for a password. An empty
	// GIT_ASKPASS also shadows core.askPass and SSH_ASKPASS for git's own prompts.
	env.GIT_TERMINAL_PROMPT = '0';
	env.GIT_ASKPASS = '';
	env.SSH_ASKPASS = '';
	env.SSH_ASKPASS_REQUIRE = 'never';
	// Git Credential Manager would otherwise open a window or a browser.
	env.GCM_INTERACTIVE = 'never';
	// ssh must not ask about host keys or passphrases either. A user's own ssh command is
	// respected: they chose it, and it may carry options we cannot know about.
	if (env.GIT_SSH_COMMAND === undefined && env.GIT_SSH === undefined) {
		env.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
	}
	// Stable, English messages for the stderr classifier (LC_ALL=C also disables LANGUAGE).
	env.LC_ALL = 'C';
	// Read-only commands (status) must not take the index lock of a plugin's working copy.
	env.GIT_OPTIONAL_LOCKS = '0';
	return env;
}

/**
 * `-c` options for every run, given before the subcommand. Command-line configuration wins
 * over every config file, including a repository's own `.git/config`.
 */
export const SAFETY_CONFIG: readonly string[] = [
	// No hook ever runs: neither a template hook copied in at clone time nor any other.
	'core.hooksPath=/dev/null',
	// core.fsmonitor names a program that status and checkout would run.
	'core.fsmonitor=false',
	// Submodules could point anywhere (and at other transports); they are never fetched.
	'submodule.recurse=false',
	'fetch.recurseSubmodules=false',
	// Reject malformed objects (crafted trees, bad paths) as they arrive.
	'transfer.fsckObjects=true',
	// No background gc or maintenance that would outlive the run and hold files in a
	// directory about to be renamed or removed.
	'gc.auto=0',
	'maintenance.auto=false',
	// Quieter stderr, so that what is quoted to the user is the error itself.
	'advice.detachedHead=false',
	'init.defaultBranch=main',
	// D27: git never follows an HTTP redirect by itself. Redirects are discovered before git
	// runs (`redirects.ts`), checked against the transport rule and the caller's guard (the
	// blacklist), and git is handed the address they lead to; one that appears later fails.
	'http.followRedirects=false',
].flatMap((setting) => ['-c', setting]);

/**
 * `-c` options for a run that talks to `remote` (D27). git lets an `http.<url>.*` setting that
 * matches the address win over the plain `http.*` one, whichever config file or `GIT_CONFIG_*`
 * variable it comes from, so a user's `http.https://host/.followRedirects=true` would have git
 * follow redirects silently again. A key naming the whole address is as specific as any can
 * be, and command-line settings are read last, so this one wins.
 */
export function remoteSafetyConfig(remote: string): string[] {
	const scheme = /^https?:\/\//i.exec(remote);
	if (scheme === null) return []; // http.* settings apply to http(s) addresses only
	const setting = (url: string) => ['-c', `http.${url}.followRedirects=false`];
	const equals = remote.indexOf('=');
	if (equals === -1) return setting(remote);
	// `-c` ends the key at the first "=". For an address holding one, the deepest directory
	// above it is named instead, which still outranks any key for the host or a parent.
	const cut = remote.lastIndexOf('/', equals);
	const pathStart = remote.indexOf('/', scheme[0].length);
	if (pathStart === -1 || cut < pathStart) return []; // an "=" before the path: rare, and odd
	return setting(remote.slice(0, cut + 1));
}
