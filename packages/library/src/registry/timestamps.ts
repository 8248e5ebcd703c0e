/** Registry timestamps are ISO 8601 in UTC, as the registry tool writes them: `2025-12-01T11:16:37Z`. */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?Z$/;

/** The shape, and a real calendar date and time (no 13th month, no 31 February, no 24:00). */
export function isIsoUtcTimestamp(text: string): boolean {
	const m = ISO_UTC.exec(text);
	if (!m) return false;
	const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
		number,
		number,
		number,
		number,
		number,
		number,
	];
	const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
	return (
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		date.getUTCHours() === hour &&
		date.getUTCMinutes() === minute &&
		date.getUTCSeconds() === second
	);
}

/** `YYYY-MM-DDTHH:MM:SSZ` for a moment, the form new entries get. */
export function formatIsoUtcTimestamp(at: Date): string {
	return `${at.toISOString().slice(0, 19)}Z`;
}
