/**
 * Every rule the scanner knows: its id, severity, confidence, the capability it is evidence
 * of (D20), why it matters and what to do instead. Ids are stable: reports, SARIF output and
 * registry entries refer to them. The detection logic lives beside it, one file per category.
 */
import type { Capability } from '../../manifest/capabilities.ts';
import type { Confidence, Severity } from '../severity.ts';

export type RuleCategory =
	| 'code-execution'
	| 'dynamic-import'
	| 'process'
	| 'network'
	| 'filesystem'
	| 'secrets'
	| 'introspection'
	| 'obfuscation'
	| 'native-code'
	| 'import-time'
	| 'exfiltration'
	| 'capabilities'
	| 'coverage';

/** Where a rule looks: Python or JS/TS syntax trees, the files themselves, or the whole report. */
export type RuleScope = 'python' | 'js' | 'files' | 'report';

export interface RuleInfo {
	readonly id: string;
	readonly title: string;
	readonly category: RuleCategory;
	readonly severity: Severity;
	readonly confidence: Confidence;
	/** The D20 capability a finding of this rule shows the plugin uses. */
	readonly capability?: Capability;
	readonly scopes: readonly RuleScope[];
	readonly why: string;
	readonly fix: string;
}

const BOTH: readonly RuleScope[] = ['python', 'js'];

const RULE_LIST = [
	{
		id: 'code-exec',
		title: 'Code built at run time is executed',
		category: 'code-execution',
		severity: 'medium',
		confidence: 'high',
		scopes: BOTH,
		why: 'eval, exec, compile, new Function and the vm module run text as code. Whatever reaches that text decides what the plugin does, and a reviewer cannot see it.',
		fix: 'Call the code directly, or parse data with a real parser (json, ast.literal_eval).',
	},
	{
		id: 'code-exec-literal',
		title: 'A fixed string is executed as code',
		category: 'code-execution',
		severity: 'low',
		confidence: 'high',
		scopes: BOTH,
		why: 'Executing a constant string gains nothing over writing the code out, and it hides the code from tools that read the syntax.',
		fix: 'Write the code as ordinary statements.',
	},
	{
		id: 'code-exec-decoded',
		title: 'Decoded or unpacked data is executed',
		category: 'obfuscation',
		severity: 'high',
		confidence: 'high',
		scopes: BOTH,
		why: 'Decoding base64, hex, character codes or compressed bytes and then executing the result is how malware hides its payload from review.',
		fix: 'Ship the code as readable source. Nothing legitimate needs to decode its own code.',
	},
	{
		id: 'dynamic-import',
		title: 'A module is imported by a computed or hidden name',
		category: 'dynamic-import',
		severity: 'medium',
		confidence: 'medium',
		scopes: BOTH,
		why: '__import__, importlib, require(name) and import(name) load code chosen at run time, so a reader cannot tell which module runs; it is also a common way to hide an import of os or subprocess.',
		fix: 'Use plain import statements with fixed module names.',
	},
	{
		id: 'dynamic-import-literal',
		title: 'A fixed module is imported through the import machinery',
		category: 'dynamic-import',
		severity: 'low',
		confidence: 'high',
		scopes: ['python'],
		why: 'importlib.import_module with a fixed name works like an import statement but is easy to overlook in review.',
		fix: 'Use a plain import statement.',
	},
	{
		id: 'process-spawn',
		title: 'Starts another program',
		category: 'process',
		severity: 'medium',
		confidence: 'high',
		capability: 'subprocess',
		scopes: BOTH,
		why: 'A started program runs with all of the user’s permissions, outside anything the host can show or limit.',
		fix: 'Prefer a library call. If a program must run, pass a fixed argument list without a shell and declare `subprocess = true`.',
	},
	{
		id: 'process-shell',
		title: 'Runs a shell command built at run time',
		category: 'process',
		severity: 'high',
		confidence: 'medium',
		capability: 'subprocess',
		scopes: BOTH,
		why: 'A shell command assembled from strings lets any text that reaches it (a tag, a file name, a server reply) run arbitrary commands.',
		fix: 'Pass an argument list without a shell (subprocess.run([...]), execFile), never a formatted string.',
	},
	{
		id: 'reverse-shell',
		title: 'A network connection is wired to a process or to standard streams',
		category: 'process',
		severity: 'high',
		confidence: 'high',
		capability: 'subprocess',
		scopes: BOTH,
		why: 'Connecting a socket to a shell’s input and output gives whoever is at the other end control of the computer.',
		fix: 'Remove it. No plugin needs a remote shell.',
	},
	{
		id: 'network',
		title: 'Uses the network',
		category: 'network',
		severity: 'low',
		confidence: 'high',
		capability: 'network',
		scopes: BOTH,
		why: 'Network access can send out anything the plugin can read, and fetch code or commands.',
		fix: 'Use the host’s web service API where it has one, talk only to the services the plugin is about, and declare `network = true`.',
	},
	{
		id: 'fs-write',
		title: 'Writes files',
		category: 'filesystem',
		severity: 'low',
		confidence: 'medium',
		capability: 'filesystem_write',
		scopes: BOTH,
		why: 'Writing files can change other programs, start-up scripts or the plugin’s own code.',
		fix: 'Write only where the user chose, or into the host’s data directory, and declare `filesystem_write = true`.',
	},
	{
		id: 'fs-delete',
		title: 'Deletes, moves or changes permissions of files',
		category: 'filesystem',
		severity: 'medium',
		confidence: 'medium',
		capability: 'filesystem_write',
		scopes: BOTH,
		why: 'Deleting or moving files can destroy user data; a recursive delete with a wrong path empties a home directory.',
		fix: 'Delete only files the plugin created, by exact path, and declare `filesystem_write = true`.',
	},
	{
		id: 'fs-read',
		title: 'Reads files or lists directories',
		category: 'filesystem',
		severity: 'info',
		confidence: 'medium',
		capability: 'filesystem_read',
		scopes: BOTH,
		why: 'Reading files is ordinary, but it is the capability a user is asked about: documents, keys and browser data are files too.',
		fix: 'Declare `filesystem_read = true` when the plugin reads files beyond what the host hands it.',
	},
	{
		id: 'env-access',
		title: 'Reads environment variables',
		category: 'secrets',
		severity: 'low',
		confidence: 'high',
		scopes: BOTH,
		why: 'Environment variables often hold access tokens and passwords (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN).',
		fix: 'Read only the variables the plugin documents, by name, and never send them anywhere.',
	},
	{
		id: 'secret-store',
		title: 'Reads the system password store',
		category: 'secrets',
		severity: 'high',
		confidence: 'high',
		scopes: BOTH,
		why: 'The keyring holds the passwords of every application of the user, not just this host.',
		fix: 'Store the plugin’s own credentials in the host’s settings for the plugin, entered by the user.',
	},
	{
		id: 'secret-path',
		title: 'Names SSH keys, browser profiles or credential files',
		category: 'secrets',
		severity: 'high',
		confidence: 'medium',
		capability: 'filesystem_read',
		scopes: BOTH,
		why: 'Paths such as ~/.ssh/id_rsa, browser cookie databases, /etc/passwd or cloud credential files are what data thieves read first; a media plugin has no reason to name them.',
		fix: 'Remove the reference. If it is documentation, move it out of the code.',
	},
	{
		id: 'host-password',
		title: 'Reads the host’s password or token settings',
		category: 'secrets',
		severity: 'high',
		confidence: 'medium',
		capability: 'config_read',
		scopes: ['python'],
		why: 'The host’s settings hold the user’s account passwords and tokens for other services.',
		fix: 'Use the plugin’s own settings section; let the host do authenticated requests for you.',
	},
	{
		id: 'config-read',
		title: 'Reads the host’s settings',
		category: 'secrets',
		severity: 'info',
		confidence: 'medium',
		capability: 'config_read',
		scopes: ['python'],
		why: 'The host’s settings include other plugins’ settings and tokens.',
		fix: 'Read only what the plugin needs and declare `config_read = true`.',
	},
	{
		id: 'config-write',
		title: 'Changes the host’s settings',
		category: 'secrets',
		severity: 'low',
		confidence: 'medium',
		capability: 'config_write',
		scopes: ['python'],
		why: 'Host settings include security-relevant ones, such as which plugins are enabled or which servers are used.',
		fix: 'Keep state in the plugin’s own settings section and declare `config_write = true` otherwise.',
	},
	{
		id: 'introspection-escape',
		title: 'Reaches interpreter internals used to escape restrictions',
		category: 'introspection',
		severity: 'high',
		confidence: 'high',
		scopes: BOTH,
		why: '__subclasses__, __globals__, __builtins__ and constructor.constructor walk from any object to os, eval or the Function constructor; they are the standard sandbox escapes and rarely appear in honest plugin code.',
		fix: 'Import what you need by name instead of walking the object graph.',
	},
	{
		id: 'introspection-dunder',
		title: 'Walks class or prototype internals',
		category: 'introspection',
		severity: 'medium',
		confidence: 'medium',
		scopes: BOTH,
		why: '__bases__ and __proto__ are the first steps of the object-graph walks used to find dangerous functions without importing them.',
		fix: 'Use isinstance, issubclass or Object.getPrototypeOf only where a library truly needs it.',
	},
	{
		id: 'getattr-dunder',
		title: 'getattr with a double-underscore name',
		category: 'introspection',
		severity: 'low',
		confidence: 'medium',
		scopes: ['python'],
		why: 'Fetching dunder attributes by string hides the access from readers and simple searches.',
		fix: 'Access the attribute directly.',
	},
	{
		id: 'getattr-computed',
		title: 'A function of a sensitive module is picked by a computed name',
		category: 'introspection',
		severity: 'medium',
		confidence: 'medium',
		scopes: BOTH,
		why: 'getattr(os, name) or module[name] calls a function nobody can see in the code, which is how scanners and reviewers are dodged.',
		fix: 'Call the function by its name.',
	},
	{
		id: 'obfuscation-base64',
		title: 'Long base64 literal',
		category: 'obfuscation',
		severity: 'medium',
		confidence: 'medium',
		scopes: BOTH,
		why: 'Long base64 strings in code are a common way to carry a hidden payload.',
		fix: 'Ship data as separate, named files (images, fixtures), not as encoded strings in code.',
	},
	{
		id: 'obfuscation-hex',
		title: 'Long hex or byte-escape literal',
		category: 'obfuscation',
		severity: 'medium',
		confidence: 'medium',
		scopes: BOTH,
		why: 'Long runs of hex digits or \\x escapes hide bytes, often shellcode or encoded code.',
		fix: 'Ship binary data as a separate file with a clear name and purpose.',
	},
	{
		id: 'obfuscation-chr',
		title: 'String assembled from character codes',
		category: 'obfuscation',
		severity: 'medium',
		confidence: 'high',
		scopes: BOTH,
		why: 'Building strings from chr() or String.fromCharCode hides words such as "os" or "eval" from readers and searches.',
		fix: 'Write the string literally.',
	},
	{
		id: 'obfuscation-entropy',
		title: 'High-entropy string',
		category: 'obfuscation',
		severity: 'low',
		confidence: 'low',
		scopes: BOTH,
		why: 'A long random-looking token may be an embedded key, a password or an encrypted payload.',
		fix: 'Keep credentials out of code; have the user enter them in the plugin’s settings.',
	},
	{
		id: 'obfuscation-marshal',
		title: 'Loads marshalled code objects',
		category: 'obfuscation',
		severity: 'medium',
		confidence: 'high',
		scopes: ['python'],
		why: 'marshal.loads turns bytes into code objects, the usual way to ship Python code that cannot be read.',
		fix: 'Ship source code.',
	},
	{
		id: 'obfuscation-compressed',
		title: 'Decompresses an inline literal',
		category: 'obfuscation',
		severity: 'medium',
		confidence: 'medium',
		scopes: BOTH,
		why: 'Compressed bytes written into the code hide what they contain until run time.',
		fix: 'Ship the content uncompressed, or as a separate data file.',
	},
	{
		id: 'obfuscation-minified',
		title: 'Minified code',
		category: 'obfuscation',
		severity: 'medium',
		confidence: 'medium',
		scopes: ['js'],
		why: 'Minified code cannot be reviewed, so nobody can tell what it does.',
		fix: 'Ship the readable source; let the host load it as is.',
	},
	{
		id: 'obfuscation-packed',
		title: 'Packed or obfuscator-generated JavaScript',
		category: 'obfuscation',
		severity: 'high',
		confidence: 'high',
		scopes: ['js'],
		why: 'Packers (eval(function(p,a,c,k,e,...)) and obfuscators (_0x… names) exist to make code unreadable; honest plugins have nothing to hide.',
		fix: 'Ship the readable source.',
	},
	{
		id: 'native-ffi',
		title: 'Loads native libraries through a foreign-function interface',
		category: 'native-code',
		severity: 'medium',
		confidence: 'high',
		capability: 'native_code',
		scopes: BOTH,
		why: 'ctypes, cffi and process.dlopen run machine code that no reviewer or scanner can read.',
		fix: 'Use a pure-language library, or declare `native_code = true` and explain why in the description.',
	},
	{
		id: 'native-binary',
		title: 'Ships a native executable or library',
		category: 'native-code',
		severity: 'high',
		confidence: 'high',
		capability: 'native_code',
		scopes: ['files'],
		why: 'Compiled binaries (.so, .pyd, .dll, .dylib, .node, executables) cannot be reviewed and run with full access.',
		fix: 'Build from source during review, or depend on a published package instead of shipping the binary.',
	},
	{
		id: 'bytecode-file',
		title: 'Ships compiled bytecode',
		category: 'native-code',
		severity: 'medium',
		confidence: 'high',
		scopes: ['files'],
		why: 'Compiled .pyc or WebAssembly files can differ from the source next to them and cannot be read.',
		fix: 'Remove compiled files from the plugin; the host compiles source itself.',
	},
	{
		id: 'binary-file',
		title: 'Ships an unrecognised binary file',
		category: 'native-code',
		severity: 'low',
		confidence: 'low',
		scopes: ['files'],
		why: 'A binary file of unknown type may be an encrypted or packed payload loaded by the code.',
		fix: 'Keep only data files with a known format, and name them for what they are.',
	},
	{
		id: 'import-time-side-effect',
		title: 'Network or process use when the module is imported',
		category: 'import-time',
		severity: 'high',
		confidence: 'high',
		scopes: BOTH,
		why: 'Code at module level runs as soon as the host loads the plugin, before the user has enabled it or seen anything, including in the host’s startup check.',
		fix: 'Do the work inside enable() or in response to a user action.',
	},
	{
		id: 'import-time-write',
		title: 'Writes or deletes files when the module is imported',
		category: 'import-time',
		severity: 'medium',
		confidence: 'high',
		scopes: BOTH,
		why: 'Module-level file changes happen on every load, even when the plugin is disabled.',
		fix: 'Create files lazily, inside enable() or when first needed.',
	},
	{
		id: 'exfiltration',
		title: 'Sensitive data flows to a network send',
		category: 'exfiltration',
		severity: 'high',
		confidence: 'high',
		capability: 'network',
		scopes: BOTH,
		why: 'Environment variables, credentials, keys or identity read in one function and passed to a network call in the same function is the shape of data theft.',
		fix: 'Never send secrets or machine identity anywhere. If a service needs a token, the user enters it for that service.',
	},
	{
		id: 'capability-undeclared',
		title: 'Uses a capability the manifest does not declare',
		category: 'capabilities',
		severity: 'medium',
		confidence: 'medium',
		scopes: ['report'],
		why: 'Users decide whether to install from the declared capabilities; code that reaches further than declared misleads them.',
		fix: 'Add the capability to [capabilities] in MANIFEST.toml, or remove the code that needs it.',
	},
	{
		id: 'capability-denied-used',
		title: 'Uses a capability the manifest declares as not used',
		category: 'capabilities',
		severity: 'high',
		confidence: 'medium',
		scopes: ['report'],
		why: 'The manifest says `= false` for a capability the code clearly uses: the declaration is wrong or the code is not what it claims.',
		fix: 'Set the capability to true, or remove the code that uses it.',
	},
	{
		id: 'capabilities-missing',
		title: 'The manifest has no [capabilities] table',
		category: 'capabilities',
		severity: 'low',
		confidence: 'high',
		scopes: ['report'],
		why: 'Without declarations the user is told the plugin does not say what it needs.',
		fix: 'Add a [capabilities] table listing what the scan inferred (see the report).',
	},
	{
		id: 'capability-unused',
		title: 'Declares a capability the scan found no use of',
		category: 'capabilities',
		severity: 'info',
		confidence: 'low',
		scopes: ['report'],
		why: 'Asking for more than the code uses makes users accept more than they need to; it may also be used through means the scanner does not model.',
		fix: 'Set it to false if the plugin does not need it.',
	},
	{
		id: 'unscanned-file',
		title: 'A file could not be scanned',
		category: 'coverage',
		severity: 'medium',
		confidence: 'high',
		scopes: ['files'],
		why: 'A file over a size, nesting or time bound was not analysed, so anything in it is unknown.',
		fix: 'Split or simplify the file; generated or vendored code should not ship inside a plugin.',
	},
	{
		id: 'partial-parse',
		title: 'Part of a file did not parse',
		category: 'coverage',
		severity: 'info',
		confidence: 'medium',
		scopes: BOTH,
		why: 'Syntax the parser could not read is analysed only in part; findings in that region may be missing.',
		fix: 'Make sure the file is valid for the language version the host runs.',
	},
] as const satisfies readonly RuleInfo[];

export type RuleId = (typeof RULE_LIST)[number]['id'];

export const RULES: readonly RuleInfo[] = RULE_LIST;

const BY_ID = new Map<string, RuleInfo>(RULES.map((rule) => [rule.id, rule]));

export function ruleInfo(id: RuleId): RuleInfo {
	return BY_ID.get(id) as RuleInfo;
}

export function isRuleId(id: string): id is RuleId {
	return BY_ID.has(id);
}
