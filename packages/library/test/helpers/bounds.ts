/**
 * A time bound for tests that need an operation to run to the end: no run on a loaded machine
 * takes this long, so the outcome never depends on machine speed. Tests of a time bound itself
 * use a short bound against something that never answers, or an injected clock, instead.
 */
export const UNREACHABLE_MS = 10 * 60 * 1000;
