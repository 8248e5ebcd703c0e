/** The typed result of reading a valid MANIFEST.toml, with camelCase fields. */
import type { CapabilityDeclaration } from './capabilities.ts';
import type { ManifestIssue } from './issues.ts';

export interface Manifest {
	/** Lowercased: UUIDs are compared lowercase everywhere. */
	uuid: string;
	name: string;
	description: string;
	/** API versions as written (`"3.0"`); compare them with `parseApiVersion`. */
	api: string[];
	authors: string[];
	maintainers: string[];
	license?: string;
	licenseUrl?: string;
	longDescription?: string;
	/** As written; values the host does not know only produce a warning. */
	categories: string[];
	homepage?: string;
	reportBugsTo?: string;
	/** Informative only: never enforced, as in the reference. */
	minPythonVersion?: string;
	/** `en` when absent. */
	sourceLocale: string;
	nameI18n: Readonly<Record<string, string>>;
	descriptionI18n: Readonly<Record<string, string>>;
	longDescriptionI18n: Readonly<Record<string, string>>;
	version?: string;
	capabilities: CapabilityDeclaration;
	/** The module a Node host loads (JavaScript and TypeScript plugins); relative, inside the plugin. */
	entry?: string;
	/** Origins (`https://host[:port]`) a Node host's `api.fetch` may reach for this plugin. */
	networkAllow?: string[];
}

export interface ManifestResult {
	/** Present only when `errors` is empty. */
	manifest?: Manifest;
	errors: ManifestIssue[];
	warnings: ManifestIssue[];
	/** Where the manifest was read from, for messages. */
	file: string;
}

export interface ManifestOptions {
	/** The host profile's categories; a manifest category outside them is a warning. */
	categories?: readonly string[];
}
