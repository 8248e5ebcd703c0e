/**
 * What every part of the incident service is given: the database, the registry store, the
 * clock, where the public pages live, and the secret that turns client addresses into keys.
 */
import type { CanonicalUrlContext } from '@vouch/library/internal/core/canonical-url';
import type { ServiceDb } from '../db/open.ts';
import type { Actor } from '../store/actor.ts';
import type { RegistryStore } from '../store/registry-store.ts';

export interface IncidentLimits {
	/** Reports one client may file in an hour. */
	reportsPerClientHour: number;
	/** Reports one client may file about one plugin in a day. */
	reportsPerClientPluginDay: number;
	/** Incidents one anonymous client may open in a day (joining an open one is not counted). */
	incidentsPerAnonymousClientDay: number;
	/** Appeals one client may file in a day. */
	appealsPerClientDay: number;
}

export const DEFAULT_INCIDENT_LIMITS: IncidentLimits = {
	reportsPerClientHour: 20,
	reportsPerClientPluginDay: 3,
	incidentsPerAnonymousClientDay: 5,
	appealsPerClientDay: 5,
};

export interface IncidentServiceDeps {
	db: ServiceDb;
	clock: () => Date;
	store: RegistryStore;
	/**
	 * Where the public pages are served, e.g. `https://plugins.example.org`; a function when it
	 * is known only once the server listens (a port picked at start).
	 */
	publicBaseUrl: string | (() => string);
	/** Keys the HMAC of client addresses; the addresses themselves are never stored. */
	clientKeySecret: string;
	limits?: Partial<IncidentLimits>;
	/** How plugin URLs compare (the service profile's case-insensitive hosts). */
	urlContext?: CanonicalUrlContext;
}

export interface IncidentContext extends Omit<IncidentServiceDeps, 'limits'> {
	limits: IncidentLimits;
}

/** The actor of what the service does on its own (the automatic quarantine, its expiry). */
export const SERVICE_ACTOR: Actor = { name: 'vouch-service', role: 'admin' };

export function publicBase(context: Pick<IncidentContext, 'publicBaseUrl'>): string {
	const base =
		typeof context.publicBaseUrl === 'function' ? context.publicBaseUrl() : context.publicBaseUrl;
	return base.replace(/\/+$/, '');
}

export function incidentUrl(context: Pick<IncidentContext, 'publicBaseUrl'>, id: number): string {
	return `${publicBase(context)}/incidents/${id}`;
}

/** The incident link where the log takes one: the log keeps https links only. */
export function loggableLink(url: string): string | null {
	return /^https:\/\/\S+$/.test(url) && url.length <= 2048 ? url : null;
}

export const HOUR_MS = 60 * 60 * 1000;
