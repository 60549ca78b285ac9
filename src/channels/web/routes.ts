import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { FloodGuard } from '../../core/flood-guard.js';
import type { InboundContent, OutboundMessage } from '../../core/message.js';
import type { MessageRouter, ReplySink } from '../../core/router.js';
import type { Db } from '../../db/client.js';
import type { MediaStore } from '../../media/types.js';
import { WebMailbox } from './mailbox.js';
import { MediaGrants, mediaRoutes, mediaUrl } from './media.js';
import { pullWebOutbox } from './outbox-pull.js';
import { readPhotoUpload } from './upload.js';

const id = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
/** A bound for the server's sake only: flows answer long text politely themselves (e.g. a description). */
const MAX_TEXT = 10_000;

const postSchema = z.union([
  z.object({ sessionId: id, messageId: id, text: z.string().trim().min(1).max(MAX_TEXT) }),
  z.object({
    sessionId: id,
    messageId: id,
    choice: z.object({ id: z.string().min(1).max(64), token: z.string().max(32).optional() }),
  }),
]);
const photoQuery = z.object({ sessionId: id, messageId: id });
/**
 * Photo uploads per minute, checked before the body is read: per page (session), and per address,
 * looser because many phones share one address behind a mobile carrier's NAT.
 */
const PHOTOS_PER_SESSION = 10;
const PHOTOS_PER_IP = 30;
const MINUTE_MS = 60_000;

const invalid = (res: Response, code: string, message: string | undefined) =>
  res.status(400).json({ error: { code, message } });

/**
 * The web chat channel: the page posts each message (or photo) with its own id, so a retried POST is
 * not handled twice, and gets the replies in the response; later messages wait for its next poll.
 */
export function createWebChannel(deps: {
  router: MessageRouter;
  prisma: Db;
  clock: () => Date;
  media: MediaStore;
}) {
  const mailbox = new WebMailbox();
  const grants = new MediaGrants();
  const photosBySession = new FloodGuard(PHOTOS_PER_SESSION, MINUTE_MS);
  const photosByIp = new FloodGuard(PHOTOS_PER_IP, MINUTE_MS);

  /** What the page receives: the bot's messages, with stored photos as URLs this session may load. */
  function toPage(sessionId: string, messages: OutboundMessage[]) {
    return messages.map(({ text, choices, choiceToken, photo }) => {
      if (photo?.kind === 'stored') grants.grant(sessionId, photo.mediaId);
      return {
        text,
        choices,
        choiceToken,
        ...(photo?.kind === 'stored' ? { photo: mediaUrl(photo.mediaId, sessionId) } : {}),
      };
    });
  }

  const sink: ReplySink = {
    async deliver(externalUserId, messages) {
      mailbox.put(externalUserId, messages);
    },
  };
  deps.router.attach('web', sink);
  /** Replies waiting in memory first (they answer what she just sent), then notifications from the outbox. */
  const collect = async (sessionId: string) => [
    ...mailbox.take(sessionId),
    ...(await pullWebOutbox(deps.prisma, sessionId, deps.clock())),
  ];

  /** Routes one message from the page and gives back everything waiting for its session. */
  async function converse(sessionId: string, messageId: string, content: InboundContent) {
    const accepted = await deps.router.accept({
      channel: 'web',
      externalUserId: sessionId,
      externalMessageId: `${sessionId}:${messageId}`,
      receivedAt: new Date(),
      content,
    });
    if (!accepted.duplicate) await accepted.handled;
    return toPage(sessionId, await collect(sessionId));
  }

  const routes: Router = express.Router();
  routes.post('/web/messages', express.json({ limit: '64kb' }), async (req, res) => {
    const parsed = postSchema.safeParse(req.body);
    if (!parsed.success) return invalid(res, 'invalid_message', parsed.error.issues[0]?.message);
    const body = parsed.data;
    const content: InboundContent =
      'text' in body
        ? { kind: 'text', text: body.text }
        : { kind: 'choice', choiceId: body.choice.id, token: body.choice.token };
    res.json({ messages: await converse(body.sessionId, body.messageId, content) });
  });

  routes.get('/web/messages', async (req, res) => {
    const sessionId = id.safeParse(req.query.sessionId);
    if (!sessionId.success) return invalid(res, 'invalid_session', 'sessionId is required');
    res.json({ messages: toPage(sessionId.data, await collect(sessionId.data)) });
  });

  /**
   * A photo from the page: the raw image bytes as the body. A refused photo (type, size) still goes
   * to the engine, which answers it in her language; a body over the upload limit is not read (413),
   * nor is one over the upload rate (429: the page asks her to wait a minute).
   */
  routes.post('/web/photos', async (req: Request, res: Response) => {
    const query = photoQuery.safeParse(req.query);
    if (!query.success) return invalid(res, 'invalid_message', query.error.issues[0]?.message);
    const { sessionId, messageId } = query.data;
    const now = Date.now();
    if (!photosByIp.allow(req.ip ?? '', now) || !photosBySession.allow(sessionId, now)) {
      res.status(429).json({ error: { code: 'too_many_photos', message: 'too many photos; wait a minute' } });
      return;
    }
    const upload = await readPhotoUpload(req, res);
    if (upload === 'empty') return invalid(res, 'empty_photo', 'the body holds no photo');
    if (upload === 'too_large') {
      const messages = await converse(sessionId, messageId, { kind: 'unsupported', reason: 'photo_size' });
      res
        .status(413)
        .json({ error: { code: 'photo_too_large', message: 'the photo is over 5 MB' }, messages });
      return;
    }
    const stored = await deps.media.put(upload);
    if (stored.ok) grants.grant(sessionId, stored.media.id);
    const content: InboundContent = stored.ok
      ? { kind: 'photo', media: { kind: 'stored', mediaId: stored.media.id } }
      : { kind: 'unsupported', reason: stored.error };
    const messages = await converse(sessionId, messageId, content);
    res.json({ messages, ...(stored.ok ? { photo: mediaUrl(stored.media.id, sessionId) } : {}) });
  });

  routes.use(mediaRoutes({ store: deps.media, prisma: deps.prisma, grants }));

  return { routes };
}
