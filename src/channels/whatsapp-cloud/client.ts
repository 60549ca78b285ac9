import { downloadLimited } from '../../media/download.js';
import type { GraphErrorBody, GraphMessage } from './types.js';

export interface GraphClientOptions {
  /** e.g. `https://graph.facebook.com/v21.0`, without a trailing slash. */
  apiRoot: string;
  token: string;
  phoneNumberId: string;
}

/** How long one Graph call may take before it counts as a network failure. */
const CALL_TIMEOUT_MS = 20_000;

/** Undeliverable: not on WhatsApp (or an app too old, terms not accepted); her address is unreachable. */
export const UNREACHABLE_CODE = 131026;
/** Re-engagement: she last wrote more than 24 hours ago, so only a template may go. */
export const OUTSIDE_WINDOW_CODE = 131047;
/** Undeliverable and unsupported message type: sending again cannot help. */
export const UNDELIVERABLE_CODES: ReadonlySet<number> = new Set([UNREACHABLE_CODE, 131051]);

/** Graph answered with an error: its HTTP status and WhatsApp's error code (never the text we sent). */
export class GraphError extends Error {
  readonly code = 'GRAPH_ERROR';
  constructor(
    readonly status: number,
    readonly errorCode: number | undefined,
    readonly description: string,
  ) {
    super(`graph ${status}: ${description}`);
    this.name = 'GraphError';
  }
}

/** The call did not reach Graph or no answer came in time. */
export class GraphNetworkError extends Error {
  readonly code = 'GRAPH_UNREACHABLE';
  constructor(cause: unknown) {
    super(`graph unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'GraphNetworkError';
  }
}

/** "131026 Message undeliverable: details": how a Graph error reads in logs and `lastError`. */
export function describeGraphError(error: GraphErrorBody | undefined): string {
  if (!error) return 'unknown error';
  const what = error.title ?? error.message ?? 'error';
  const details = error.error_data?.details;
  return `${error.code ?? '?'} ${what}${details && details !== what ? `: ${details}` : ''}`;
}

/** Media metadata from `GET /{media-id}`. */
export interface MediaInfo {
  url: string;
  mime_type?: string;
  file_size?: number;
}

/**
 * The few Graph calls the channel makes, with the bearer token: send a message, upload a photo, read
 * a media's metadata and download it. Failures are GraphError (Graph said no) or GraphNetworkError.
 */
export function createGraphClient(options: GraphClientOptions) {
  const auth = { authorization: `Bearer ${options.token}` };

  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${options.apiRoot}/${path}`, {
        ...init,
        headers: { ...auth, ...init.headers },
        signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      });
    } catch (err) {
      throw new GraphNetworkError(err);
    }
    const body = (await res.json().catch(() => undefined)) as { error?: GraphErrorBody } | undefined;
    if (!res.ok || body === undefined || body.error) {
      throw new GraphError(res.status, body?.error?.code, describeGraphError(body?.error));
    }
    return body as T;
  }

  return {
    /** Sends one message to `to` (a wa_id); resolves with its wamid. */
    async sendMessage(to: string, message: GraphMessage): Promise<string> {
      const answer = await call<{ messages?: { id?: string }[] }>(`${options.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }),
      });
      const id = answer.messages?.[0]?.id;
      if (!id) throw new GraphError(200, undefined, 'the answer names no message id');
      return id;
    },

    /** Uploads a file for this phone number; resolves with the media id messages refer to. */
    async uploadMedia(bytes: Buffer, mime: string): Promise<string> {
      const form = new FormData();
      form.set('messaging_product', 'whatsapp');
      form.set('type', mime);
      form.set(
        'file',
        new Blob([Uint8Array.from(bytes)], { type: mime }),
        `photo.${mime.split('/')[1] ?? 'bin'}`,
      );
      const answer = await call<{ id?: string }>(`${options.phoneNumberId}/media`, {
        method: 'POST',
        body: form,
      });
      if (!answer.id) throw new GraphError(200, undefined, 'the upload answer names no media id');
      return answer.id;
    },

    /** The download URL, type and size of a media id (one a user sent, or one we uploaded). */
    mediaInfo: (mediaId: string) => call<MediaInfo>(encodeURIComponent(mediaId)),

    /** Downloads a media URL with the token, reading at most `maxBytes`. */
    download: (url: string, maxBytes: number) => downloadLimited(url, maxBytes, { headers: auth }),
  };
}

export type GraphClient = ReturnType<typeof createGraphClient>;
