/**
 * What the scanner must know about the host a plugin runs in: which names are the host's own
 * web service (network through it is not "network outside the host API"), where the host keeps
 * its settings and its plugins (writing there is tampering), which of its settings guard the
 * user, and how a plugin reaches its own data directory. Picard's table is the default; another
 * host passes its own to `scanPlugin`.
 */

export interface HostScanTable {
	readonly name: string;
	/**
	 * Resolved call names that are the host's web service. Only the host's API counts: the
	 * host's local HTTP port or Qt's network classes used directly are the network like any other.
	 */
	readonly networkApi: readonly RegExp[];
	/** Strings naming the host's configuration files or directories (lowercased, `/`-separated). */
	readonly configFiles: readonly RegExp[];
	/** Strings naming the directory the host loads plugins from (lowercased, `/`-separated). */
	readonly pluginDirs: readonly RegExp[];
	/** Settings whose change weakens the host: enabled plugins, servers, proxies, updates. */
	readonly protectedSettings: RegExp;
	/** Prefix of settings keys in the host's own QSettings store (`setting/use_proxy`). */
	readonly settingsKeyPrefix: RegExp;
	/** Opening the host's own settings store directly (`QSettings("MusicBrainz", "Picard")`). */
	readonly settingsStore: RegExp;
	/** Objects holding the host's settings, as written in code (`config.setting`). */
	readonly settingsObjects: RegExp;
	/** A source line writing into the plugin's own data directory, or a temporary file. */
	readonly dataDirWrite: RegExp;
	/** Resolved names of the host's own modules: replacing anything in them is tampering. */
	readonly modules: RegExp;
	/** Strings naming where the host's own code is installed (lowercased, `/`-separated). */
	readonly installDirs: readonly RegExp[];
}

export const PICARD_SCAN_TABLE: HostScanTable = {
	name: 'picard',
	networkApi: [
		/^picard\.webservice(?:\.|$)/,
		/(?:^|\.)(?:web_?service|webservice)\.(?:get|post|put|delete|download|get_url|post_url|put_url|delete_url)$/,
	],
	configFiles: [
		/(?:^|\/)picard\.(?:ini|conf)$/,
		/(?:^|\/)musicbrainz\/picard(?:\.ini|\.conf)?$/,
		/\.config\/musicbrainz(?:\/|$)/,
	],
	pluginDirs: [
		/(?:^|\/)plugins3(?:\/|$)/,
		/musicbrainz\/picard\/plugins(?:3)?(?:\/|$)/,
		/(?:^|\/)picard\/plugins(?:3)?(?:\/|$)/,
	],
	protectedSettings:
		/^(?:enabled_plugins|plugins?\d*_.*|.*_plugins|server_host|server_port|use_server_for_submission|use_proxy|proxy_.*|browser_integration.*|check_for_(?:updates|plugin_updates)|update_check.*|ca_.*|ssl_.*|.*(?:password|passwd|token|secret|api_?key).*)$/i,
	settingsKeyPrefix: /^(?:setting|persist)\//,
	settingsStore: /QSettings\s*\(\s*['"]MusicBrainz['"]/,
	settingsObjects: /(?:^|\.)(?:setting|persist|global_config(?:\.setting)?)$/,
	modules: /^picard(?:\.|$)/,
	installDirs: [
		/program files(?: \(x86\))?\/musicbrainz picard(?:\/|$)/,
		/musicbrainz picard\.app(?:\/|$)/,
		/\/(?:usr|opt)(?:\/local)?\/(?:share|lib)\/picard(?:\/|$)/,
		/(?:site|dist)-packages\/picard(?:\/|$)/,
	],
	dataDirWrite:
		/\b(?:plugin_data_dir|plugin_cache_dir|get_plugin_data_dir|user_data_dir|user_cache_dir|gettempdir|mkstemp|mkdtemp|TemporaryFile|NamedTemporaryFile|TemporaryDirectory|tmpdir|os\.tmpdir)\b/,
};
