// A well-behaved plugin: it reads the tags through the host's API and proposes one change.
export async function enable(api) {
	const tags = await api.tags();
	if (typeof tags.title === 'string') {
		const titled = tags.title.replace(
			/\S+/g,
			(word) => word[0].toUpperCase() + word.slice(1).toLowerCase(),
		);
		await api.setTag('title', titled);
	}
}

export async function disable() {}
