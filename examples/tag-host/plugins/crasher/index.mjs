// Fails in enable, every time: the host restarts it, then disables it with reason crash_loop.
export function enable() {
	throw new Error('cannot parse its own settings');
}
