/**
 * A local path or `file://` source: read directly on every load and never cached. The file is
 * already on disk, so a cached second copy could only drift from it, and there is no network
 * that could be down.
 */
import { readRegistrySource } from '../load.ts';
import { movesOn } from './failures.ts';
import type { LoadContext, SourceAttempt } from './step.ts';

export async function readLocalSource(
	location: string,
	context: LoadContext,
): Promise<SourceAttempt> {
	let read: Awaited<ReturnType<typeof readRegistrySource>>;
	try {
		read = await readRegistrySource(location, {
			cwd: context.cwd,
			...(context.home === undefined ? {} : { home: context.home }),
			...(context.maxBytes === undefined ? {} : { maxBytes: context.maxBytes }),
		});
	} catch (error) {
		// A missing or unreadable file moves on; an oversized or non-text one stops the chain.
		if (movesOn(error)) return { kind: 'failed', error };
		throw error;
	}
	const text = {
		source: read.label,
		text: read.text,
		...(read.format === undefined ? {} : { format: read.format }),
		// The file is the source itself: reading it is as fresh as this source gets.
		fetchedAt: context.now(),
		fromCache: false,
		notModified: false,
		local: true,
		...(read.path === undefined ? {} : { path: read.path }),
	};
	return { kind: 'loaded', text, accepted: await context.accept(text) };
}
