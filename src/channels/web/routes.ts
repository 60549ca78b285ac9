import express, { type Router } from 'express';
import { z } from 'zod';
import type { InboundContent, OutboundMessage } from '../../core/message.js';
import type { MessageRouter, ReplySink } from '../../core/router.js';
import type { Db } from '../../db/client.js';
import { WebMailbox } from './mailbox.js';
import { pullWebOutbox } from './outbox-pull.js';

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

/** What the page receives: the bot's messages, with photos as URLs it can show. */
function toPage(messages: OutboundMessage[]) {
  return messages.map(({ text, choices, choiceToken }) => ({ text, choices, choiceToken }));
}

/**
 * The web chat channel: the page posts each message with its own id (so a retried POST is not
 * handled twice) and gets the replies in the response; later messages wait for its next poll.
 */
export function createWebChannel(deps: { router: MessageRouter; prisma: Db; clock: () => Date }) {
  const mailbox = new WebMailbox();
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

  const routes: Router = express.Router();
  routes.post('/web/messages', express.json({ limit: '64kb' }), async (req, res) => {
    const parsed = postSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: { code: 'invalid_message', message: parsed.error.issues[0]?.message } });
      return;
    }
    const body = parsed.data;
    const content: InboundContent =
      'text' in body
        ? { kind: 'text', text: body.text }
        : { kind: 'choice', choiceId: body.choice.id, token: body.choice.token };
    const accepted = await deps.router.accept({
      channel: 'web',
      externalUserId: body.sessionId,
      externalMessageId: `${body.sessionId}:${body.messageId}`,
      receivedAt: new Date(),
      content,
    });
    if (!accepted.duplicate) await accepted.handled;
    res.json({ messages: toPage(await collect(body.sessionId)) });
  });

  routes.get('/web/messages', async (req, res) => {
    const sessionId = id.safeParse(req.query.sessionId);
    if (!sessionId.success) {
      res.status(400).json({ error: { code: 'invalid_session', message: 'sessionId is required' } });
      return;
    }
    res.json({ messages: toPage(await collect(sessionId.data)) });
  });

  return { routes };
}
