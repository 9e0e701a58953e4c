/** Resumable GGUF downloads (issue 14, "Downloads"). See downloadModel.ts and source.ts. */
export { downloadModel } from "./downloadModel";
export type { DownloadModelOptions, DownloadModelResult, DownloadedPart } from "./downloadModel";
export { DownloadError, DOWNLOAD_ERROR_CODES, isDownloadError, LOCAL_FILE_HINT } from "./errors";
export type { DownloadErrorCode } from "./errors";
export type { DownloadProgress } from "./progress";
export type { DownloadNotice } from "./transfer";
export type { FreeSpaceInfo, StatfsFunction } from "./diskSpace";
export { resolveSource, huggingFaceUrl } from "./source";
export type { DownloadPart, ResolvedSource } from "./source";
export { PARTIAL_SUFFIX, SIDECAR_SUFFIX } from "./sidecar";
export type { Sidecar } from "./sidecar";
