import { MediaTooLargeError } from './types.js';

/** Raised when a channel's file server does not give the file (404, 5xx). */
export class MediaDownloadError extends Error {
  readonly code = 'MEDIA_DOWNLOAD_FAILED';
  constructor(readonly status: number) {
    super(`the file download answered HTTP ${status}`);
    this.name = 'MediaDownloadError';
  }
}

/** Refuses a file whose size, as its channel declares it, is over the limit: before downloading it. */
export function refuseDeclaredOversize(size: number | null | undefined, maxBytes: number): void {
  if (size != null && size > maxBytes) throw new MediaTooLargeError(size);
}

/** How long one download may take before it is given up (a photo is small; the network may not be). */
const DOWNLOAD_TIMEOUT_MS = 60_000;

/**
 * Downloads a channel's file, reading at most `maxBytes`: a declared length over the limit is refused
 * before the body is read, and a body that grows past it is cut off. For channel media fetchers.
 * The URL may hold a token: it is never put in an error.
 */
export async function downloadLimited(
  url: string,
  maxBytes: number,
  init: RequestInit = {},
): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS), ...init });
  if (!res.ok) {
    await res.body?.cancel();
    throw new MediaDownloadError(res.status);
  }
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new MediaTooLargeError(declared);
  }
  return readLimited(res.body, maxBytes);
}

/** Reads a stream into one buffer, cancelling it once more than `maxBytes` arrived. */
export async function readLimited(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new MediaTooLargeError(undefined);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
