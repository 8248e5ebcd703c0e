// Declares no capability, then reaches for a file outside its directory and for the host's
// environment. In-process nothing stops it; in an isolated process both reads are refused.
import { readFileSync } from 'node:fs';

export async function enable(api) {
	await api.setTag('genre', 'Rock');
	const accounts = readFileSync('/etc/passwd', 'utf8');
	const home = process.env.HOME;
	if (home === undefined) throw new Error('the environment is empty');
	await api.setTag('comment', `read ${accounts.length} bytes of /etc/passwd; HOME is ${home}`);
}
