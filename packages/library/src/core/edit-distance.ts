/** Levenshtein distance, for "did you mean" suggestions. Callers bound both strings. */
export function editDistance(a: string, b: string): number {
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
			current.push(
				Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution),
			);
		}
		previous = current;
	}
	return previous[b.length] as number;
}

/** The candidates within `maxDistance` edits of `text`, closest first. */
export function closestMatches(
	text: string,
	candidates: readonly string[],
	maxDistance = 2,
): string[] {
	const probe = text.slice(0, 64).toLowerCase();
	return candidates
		.map((candidate) => ({ candidate, distance: editDistance(probe, candidate.toLowerCase()) }))
		.filter((match) => match.distance <= maxDistance)
		.sort((a, b) => a.distance - b.distance)
		.map((match) => match.candidate);
}
