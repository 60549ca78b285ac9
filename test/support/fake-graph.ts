import { createHash, createHmac } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import type { GraphMessage } from '../../src/channels/whatsapp-cloud/types.js';

/** What the fake accepts and what every WhatsApp Cloud test app is configured with. */
export const GRAPH_TOKEN = 'EAAG-fake-graph-token';
export const PHONE_NUMBER_ID = '106540352242922';
export const APP_SECRET = 'fake-app-secret-0123456789abcdef';
export const VERIFY_TOKEN = 'verify-me-0123';
const VERSION = 'v21.0';

/** One Graph request as the fake received it. */
export interface GraphCall {
  method: string;
  path: string;
  at: number;
}

/** A message the bot posted to `/messages`: its recipient, wamid and body (text, image, interactive…). */
export interface SentMessage {
  to: string;
  wamid: string;
  body: GraphMessage;
  at: number;
}

/** A Graph error the fake answers with instead of succeeding. */
export interface GraphFailure {
  status: number;
  code: number;
  message: string;
  details?: string;
}

type Endpoint = 'messages' | 'upload' | 'mediaInfo';

/** WhatsApp's limits, as Graph enforces them (lengths in UTF-16 units, ids in UTF-8 bytes: never fewer). */
const LIMITS = { text: 4096, body: 1024, caption: 1024, buttons: 3, buttonTitle: 20, buttonId: 256 };
const LIST_LIMITS = { rows: 10, button: 20, rowTitle: 24, rowDescription: 72, rowId: 200 };
const bytes = (value: string | undefined) => Buffer.byteLength(value ?? '');

/** Why Graph would refuse this message body (error 131009), or undefined when it keeps the limits. */
export function overLimit(body: GraphMessage): string | undefined {
  const over = (what: string, length: number, limit: number) =>
    length > limit ? `${what} is ${length}, over ${limit}` : undefined;
  if (body.type === 'text') return over('text body', body.text.body.length, LIMITS.text);
  if (body.type === 'image') return over('caption', body.image.caption?.length ?? 0, LIMITS.caption);
  if (body.type !== 'interactive') return undefined;
  const { interactive } = body;
  const problems = [over('interactive body', interactive.body.text.length, LIMITS.body)];
  if (interactive.type === 'button') {
    const { buttons } = interactive.action;
    problems.push(over('buttons', buttons.length, LIMITS.buttons));
    for (const { reply } of buttons)
      problems.push(
        over('button title', reply.title.length, LIMITS.buttonTitle),
        over('button id', bytes(reply.id), LIMITS.buttonId),
      );
  } else {
    const rows = interactive.action.sections.flatMap((section) => section.rows);
    problems.push(
      over('rows', rows.length, LIST_LIMITS.rows),
      over('list button', interactive.action.button.length, LIST_LIMITS.button),
    );
    for (const row of rows)
      problems.push(
        over('row title', row.title.length, LIST_LIMITS.rowTitle),
        over('row description', row.description?.length ?? 0, LIST_LIMITS.rowDescription),
        over('row id', bytes(row.id), LIST_LIMITS.rowId),
      );
  }
  return problems.find(Boolean);
}

/**
 * A fake WhatsApp Cloud API (Graph) on 127.0.0.1 that records every call, answers `/messages` with
 * wamids, takes multipart uploads, serves media metadata and files (bearer token required), fails as
 * told, and plays the user: it posts webhook payloads to the app, signed with the app secret.
 */
export async function startFakeGraph() {
  const events = new EventEmitter();
  const calls: GraphCall[] = [];
  const sent: SentMessage[] = [];
  /** Message bodies refused for breaking WhatsApp's limits (a test app fails its test on any). */
  const rejected: { body: unknown; reason: string }[] = [];
  const uploads: { id: string; mime: string; bytes: Buffer }[] = [];
  const media = new Map<string, { mime: string; bytes: Buffer }>();
  /** Scripted outcomes per endpoint, in order: a failure, or null for a call that goes through. */
  const failures = new Map<Endpoint, (GraphFailure | null)[]>();
  let webhook: { url: string; secret: string } | undefined;
  let wamid = 0;
  let inbound = 0;
  let mediaSeq = 0;
  let holdMs = 0;

  const authorised = (req: Request, res: Response) => {
    if (req.get('authorization') === `Bearer ${GRAPH_TOKEN}`) return true;
    res
      .status(401)
      .json({ error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } });
    return false;
  };
  /** Answers with the next scripted failure of `endpoint`, if there is one. */
  const failed = (endpoint: Endpoint, res: Response) => {
    const failure = failures.get(endpoint)?.shift();
    if (!failure) return false;
    res.status(failure.status).json({
      error: {
        message: failure.message,
        type: 'OAuthException',
        code: failure.code,
        ...(failure.details
          ? { error_data: { messaging_product: 'whatsapp', details: failure.details } }
          : {}),
        fbtrace_id: 'fake',
      },
    });
    return true;
  };
  const record = (req: Request) => {
    calls.push({ method: req.method, path: req.path, at: Date.now() });
    events.emit('call');
  };

  const app = express();
  app.post(`/${VERSION}/:phoneId/messages`, express.json(), async (req, res) => {
    record(req);
    if (!authorised(req, res) || failed('messages', res)) return;
    if (req.params.phoneId !== PHONE_NUMBER_ID) {
      res.status(400).json({ error: { message: 'Unknown phone number id', code: 100 } });
      return;
    }
    const { to, type, messaging_product: product } = req.body as Record<string, unknown>;
    if (product !== 'whatsapp' || typeof to !== 'string' || typeof type !== 'string') {
      res.status(400).json({ error: { message: 'Invalid parameter', code: 100 } });
      return;
    }
    const reason = overLimit(req.body as GraphMessage);
    if (reason) {
      rejected.push({ body: req.body, reason });
      res.status(400).json({
        error: {
          message: '(#131009) Parameter value is not valid',
          type: 'OAuthException',
          code: 131009,
          error_data: { messaging_product: 'whatsapp', details: reason },
          fbtrace_id: 'fake',
        },
      });
      return;
    }
    const id = `wamid.out.${++wamid}`;
    if (holdMs) await new Promise((resolve) => setTimeout(resolve, holdMs));
    sent.push({ to, wamid: id, body: req.body as GraphMessage, at: Date.now() });
    events.emit('sent');
    res.json({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] });
  });
  app.post(
    `/${VERSION}/:phoneId/media`,
    express.raw({ type: () => true, limit: '10mb' }),
    async (req, res) => {
      record(req);
      if (!authorised(req, res) || failed('upload', res)) return;
      const form = await new globalThis.Response(req.body, {
        headers: { 'content-type': req.get('content-type') ?? '' },
      }).formData();
      const file = form.get('file');
      if (form.get('messaging_product') !== 'whatsapp' || !(file instanceof Blob)) {
        res.status(400).json({ error: { message: 'Invalid upload', code: 100 } });
        return;
      }
      const id = `media.up.${++mediaSeq}`;
      const stored = { id, mime: String(form.get('type')), bytes: Buffer.from(await file.arrayBuffer()) };
      uploads.push(stored);
      media.set(id, stored);
      res.json({ id });
    },
  );
  app.get(`/${VERSION}/:mediaId`, (req, res) => {
    record(req);
    if (!authorised(req, res) || failed('mediaInfo', res)) return;
    const found = media.get(req.params.mediaId);
    if (!found) {
      res.status(400).json({ error: { message: 'Unsupported get request.', code: 100 } });
      return;
    }
    res.json({
      messaging_product: 'whatsapp',
      url: `${base}/files/${req.params.mediaId}`,
      mime_type: found.mime,
      sha256: createHash('sha256').update(found.bytes).digest('hex'),
      file_size: found.bytes.length,
      id: req.params.mediaId,
    });
  });
  app.get('/files/:mediaId', (req, res) => {
    record(req);
    if (!authorised(req, res)) return;
    const found = media.get(req.params.mediaId);
    if (!found) res.sendStatus(404);
    else res.type(found.mime).send(found.bytes);
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Posts a payload to the connected webhook, signed with `secret` (the app's unless told otherwise). */
  async function deliver(payload: unknown, options: { secret?: string; signature?: string | null } = {}) {
    if (!webhook) throw new Error('connect() the fake to the app first');
    const body = JSON.stringify(payload);
    const signature =
      options.signature === undefined
        ? `sha256=${createHmac('sha256', options.secret ?? webhook.secret)
            .update(body)
            .digest('hex')}`
        : options.signature;
    const res = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature ? { 'x-hub-signature-256': signature } : {}),
      },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }

  /** A person's message, as WhatsApp wraps it; returns the payload and the message's wamid. */
  function incoming(from: string, fields: Record<string, unknown>, name = 'Amal') {
    const id = `wamid.in.${++inbound}`;
    const message = { from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...fields };
    return {
      id,
      payload: webhookPayload({ contacts: [{ profile: { name }, wa_id: from }], messages: [message] }),
    };
  }

  /** The person's action posted to the app: `{ status, wamid }`. */
  async function act(from: string, fields: Record<string, unknown>, name?: string) {
    const { id, payload } = incoming(from, fields, name);
    return { status: await deliver(payload), wamid: id };
  }

  const messagesTo = (waId: string) => sent.filter((m) => m.to === waId);

  return {
    apiRoot: `${base}/${VERSION}`,
    calls,
    sent,
    rejected,
    uploads,
    messagesTo,
    lastMessageTo: (waId: string) => messagesTo(waId).at(-1),
    /** Calls of one kind: `messages`, `media` (uploads), or a path. */
    callsTo: (path: string) => calls.filter((c) => c.path.endsWith(path)),
    /** The next `count` calls to `endpoint` fail with `failure`, after `after` that go through. */
    failNext(endpoint: Endpoint, count: number, failure: GraphFailure, after = 0) {
      failures.set(endpoint, [
        ...(failures.get(endpoint) ?? []),
        ...Array<null>(after).fill(null),
        ...Array<GraphFailure>(count).fill(failure),
      ]);
    },
    /** A file a person sent, served by the media endpoint under `id`. */
    addMedia(id: string, bytes: Buffer, mime: string) {
      media.set(id, { mime, bytes });
    },
    /** Answers each later `/messages` call only after `ms` (a slow Graph). */
    hold(ms: number) {
      holdMs = ms;
    },
    /** Forgets a media id, as WhatsApp does when it expires. */
    expireMedia: (id: string) => media.delete(id),
    /** Where the user's actions go (the app's webhook) and the secret they are signed with. */
    connect(url: string, secret: string) {
      webhook = { url, secret };
    },
    /** Resolves once `waId` has received at least `count` messages. */
    async waitForMessages(waId: string, count: number, timeoutMs = 5_000): Promise<SentMessage[]> {
      const deadline = Date.now() + timeoutMs;
      while (messagesTo(waId).length < count) {
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(`waited for ${count} message(s) to ${waId}; got ${messagesTo(waId).length}`);
        await once(events, 'sent', { signal: AbortSignal.timeout(left) }).catch(() => undefined);
      }
      return messagesTo(waId);
    },
    deliver,
    incoming,
    sendText: (from: string, text: string, name?: string) =>
      act(from, { type: 'text', text: { body: text } }, name),
    pressButton: (from: string, id: string, title: string) =>
      act(from, { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id, title } } }),
    pressRow: (from: string, id: string, title: string) =>
      act(from, { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id, title } } }),
    /** She sends a photo WhatsApp keeps as `mediaId` (add its bytes with `addMedia`). */
    sendImage: (from: string, mediaId: string, caption?: string) =>
      act(from, {
        type: 'image',
        image: { id: mediaId, mime_type: 'image/jpeg', ...(caption ? { caption } : {}) },
      }),
    /** A message of another type (sticker, audio, location…) with its object. */
    sendOther: (from: string, type: string, object: Record<string, unknown> = {}) =>
      act(from, { type, [type]: object }),
    /** WhatsApp reports what became of a message we sent. */
    status: (id: string, status: string, errors?: { code: number; title: string; details?: string }[]) =>
      deliver(
        webhookPayload({
          statuses: [
            {
              id,
              status,
              timestamp: String(Math.floor(Date.now() / 1000)),
              recipient_id: 'unknown',
              ...(errors
                ? {
                    errors: errors.map((e) => ({
                      ...e,
                      message: e.title,
                      error_data: { details: e.details },
                    })),
                  }
                : {}),
            },
          ],
        }),
      ),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export type FakeGraph = Awaited<ReturnType<typeof startFakeGraph>>;

/** A webhook call's envelope around one change for our phone number. */
export function webhookPayload(value: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
          },
        ],
      },
    ],
  };
}
