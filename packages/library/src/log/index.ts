/**
 * The transparency log (D28): RFC 6962 hashing, C2SP signed notes and checkpoints, the
 * tlog-tiles layout. The client check is `verifyLogUpdate`; the registry tooling appends with
 * `appendEntries` and records changes as `LogEntry` records.
 */
export {
	type Checkpoint,
	openCheckpoint,
	parseCheckpoint,
	type SignedCheckpoint,
	signCheckpoint,
} from './checkpoint.ts';
export { type LogUpdate, type LogUpdateInput, verifyLogUpdate } from './client-verify.ts';
export type { LogErrorCode } from './errors.ts';
export {
	decodeLogEntry,
	encodeLogEntry,
	LOG_ACTIONS,
	type LogEntry,
	logEntrySchema,
} from './log-entry.ts';
export { MemoryTree } from './memory-tree.ts';
export { leafHash, nodeHash } from './merkle.ts';
export { openNote, signNote } from './note.ts';
export {
	generateNoteKey,
	type NoteSigner,
	type NoteVerifier,
	parseSignerKey,
	parseVerifierKey,
} from './note-keys.ts';
export { verifyConsistency, verifyInclusion, verifyLeafInclusion } from './proof-verify.ts';
export { type ReadTile, TileLog, type TileLogOptions } from './tile-reader.ts';
export {
	type AppendOptions,
	type AppendResult,
	appendEntries,
	directoryTileReader,
	readLogCheckpoint,
} from './tile-writer.ts';
