/**
 * The only module that runs git: `createGit()` and its operations, the pure parsing and
 * classification they rest on, and the checks applied to every URL and ref before git starts.
 */
export {
	assertCommitId,
	assertRefName,
	assertUrlAllowed,
	isFullCommitId,
	refNameProblem,
	urlProtocol,
} from './arguments.ts';
export {
	createGitAuthoring,
	type GitAuthoring,
	type GitAuthoringOptions,
	type GitIdentity,
} from './authoring.ts';
export {
	classifyGitFailure,
	describeStderr,
	type GitFailure,
	gitFailureError,
} from './classify.ts';
export type { CloneRequest, CloneResult, RefType } from './clone.ts';
export {
	type CommitIdentity,
	type CommitRequest,
	MAX_COMMIT_MESSAGE_BYTES,
	MAX_COMMIT_PATHS,
	type PushRequest,
} from './commit.ts';
export { allowedProtocols, gitEnvironment, SAFETY_CONFIG } from './environment.ts';
export { type GitErrorCode, gitError, isGitError } from './errors.ts';
export type { CallOptions } from './exec.ts';
export type { FetchRequest } from './fetch.ts';
export {
	createGit,
	DEFAULT_LOCAL_TIMEOUT_MS,
	DEFAULT_MAX_STDERR_BYTES,
	DEFAULT_MAX_STDOUT_BYTES,
	DEFAULT_NETWORK_TIMEOUT_MS,
	type Git,
	type GitOptions,
} from './git.ts';
export {
	assertGrepPattern,
	type GrepHit,
	type GrepMode,
	type GrepRequest,
	MAX_GREP_LINE_BYTES,
	MAX_GREP_PATTERN_LENGTH,
	parseGrepOutput,
} from './grep.ts';
export { type AncestryRequest, MAX_SUBJECT_COLUMNS } from './history.ts';
export { MAX_LS_REMOTE_LINES, parseLsRemote, type RemoteRefs } from './ls-remote.ts';
export {
	followRedirects,
	infoRefsUrl,
	MAX_REDIRECT_HOPS,
	type RedirectGuard,
	type RedirectHop,
	type RedirectOutcome,
	repositoryFromInfoRefs,
} from './redirects.ts';
export type { FileAtCommit, ReadFileAtRequest, SnapshotRequest } from './snapshot.ts';
export {
	classifySignatureFailure,
	type GoodSignature,
	parseGoodSignature,
	parseTagObject,
	parseUnlistedKey,
	type TagObject,
	type TagSignatureKind,
} from './tag-signature.ts';
export type { ExportTreeRequest, ListTreeRequest, TreeEntry } from './tree.ts';
export {
	createUploadPackHttp,
	type GitHttpRequest,
	type GitHttpResponse,
	MAX_UPLOAD_PACK_REQUEST_BYTES,
	type UploadPackHttp,
	type UploadPackHttpOptions,
} from './upload-pack-http.ts';
export {
	MAX_TAG_OBJECT_BYTES,
	type VerifyTagRequest,
	type VerifyTagResult,
} from './verify-tag.ts';
export { type CheckoutRequest, MAX_LISTED_FILES } from './working-copy.ts';
