/**
 * The service's release, as `vouch-server --version` prints it. A constant rather than a read of
 * package.json at start-up, so the built package needs no file beside its code; a test keeps the
 * two in step.
 */
export const SERVER_VERSION = '0.1.0';
