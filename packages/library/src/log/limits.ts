/**
 * Bounds on everything the log reads from a server or a disk. A log is read by clients that
 * must not be made to hash, parse or hold more than these, whatever a server sends.
 */

/** SHA-256 output: every hash in the log. */
export const HASH_BYTES = 32;

/**
 * Tree sizes and indexes are JavaScript numbers; past 2^53 they would silently lose precision,
 * so larger sizes are refused instead of miscounted.
 */
export const MAX_TREE_SIZE = Number.MAX_SAFE_INTEGER;

/** A proof for a tree of at most 2^53 leaves has at most 53 hashes (consistency: one more). */
export const MAX_PROOF_HASHES = 64;

/** A signed note (a checkpoint is a few hundred bytes; signatures add about 100 each). */
export const MAX_NOTE_BYTES = 64 * 1024;

/** Signature lines read from one note, known or not, before giving up on it. */
export const MAX_NOTE_SIGNATURES = 100;

/** Extension lines in a checkpoint body. */
export const MAX_CHECKPOINT_EXTENSIONS = 64;

/** Tile height fixed by C2SP tlog-tiles: each tile holds 2^8 hashes. */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

/** Each entry in a bundle carries a 2-byte length, so no entry can exceed this. */
export const MAX_ENTRY_BYTES_FORMAT = 0xffff;

/** The default bound on one entry a reader accepts; a log entry record is far smaller. */
export const DEFAULT_MAX_ENTRY_BYTES = 16 * 1024;
