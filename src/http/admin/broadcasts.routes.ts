import { z } from 'zod';
import { isUniqueViolation } from '../../db/client.js';
import { audienceSchema } from '../../services/broadcast-audience.js';
import { broadcastTextSchema } from '../../services/broadcast-messages.js';
import {
  BroadcastError,
  type BroadcastView,
  createBroadcastService,
  requestedBroadcastId,
} from '../../services/broadcasts.js';
import { ApiError, badRequest, conflict, notFound } from './errors.js';
import { type AdminRouteModule, reply } from './routes.js';

const REQUEST_KEY_MAX = 200;

const broadcastSchema = z.object({
  id: z.string(),
  /** news, invitation, reminder, feedback, relay */
  kind: z.string(),
  status: z.enum(['DRAFT', 'QUEUED', 'SENDING', 'DONE', 'CANCELLED']),
  text: z.object({ ar: z.string(), en: z.string().optional() }),
  /** Null for a draft that has none yet. */
  audience: audienceSchema.nullable(),
  mediaId: z.string().nullable(),
  scheduledAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  /** Its outbox rows by status; `pending` includes rows in flight, `web` the pending web chat ones. */
  counts: z.object({
    pending: z.number().int(),
    sent: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    total: z.number().int(),
    web: z.number().int(),
  }),
});

const toBroadcast = ({ progressChatId: _chat, progressMsgId: _message, ...view }: BroadcastView) => view;

/** The service's refusals as HTTP answers. */
function apiError(err: unknown): unknown {
  if (!(err instanceof BroadcastError)) return err;
  switch (err.code) {
    case 'not_found':
      return notFound('Broadcast');
    case 'forbidden':
      return new ApiError(403, 'forbidden', 'Only coordinators may broadcast');
    case 'no_recipients':
      return conflict('Nobody in this audience can be reached now', 'no_recipients');
    case 'unknown_cooperative':
      return badRequest('body.audience.id: no approved cooperative has this id', 'unknown_cooperative');
    case 'no_audience':
      return badRequest('The broadcast has no audience', 'no_audience');
    case 'invalid_text':
      return badRequest('body.text: empty or too long', 'invalid_text');
    default:
      return conflict('The broadcast is finished or cancelled already', 'already_finished');
  }
}

const idParams = z.object({ id: z.string().max(64) });

/**
 * Broadcasts (DESIGN §6, §9): create-and-queue in one transaction (202 `{ id }`), status with the
 * counts of its messages, cancel. A client may make creation idempotent with an `Idempotency-Key`
 * header or a `requestId`: the same key from the same token gives the same broadcast, once.
 */
export const broadcastRoutes: AdminRouteModule = (api, deps) => {
  const broadcasts = (db: Parameters<typeof createBroadcastService>[0]) =>
    createBroadcastService(db, deps.services);

  api.route({
    method: 'post',
    path: '/broadcasts',
    summary: 'Create and queue a broadcast',
    description:
      'Writes the broadcast and one outbox message per recipient (her most recently used reachable ' +
      'channel, her language when `text` has it, else Arabic) in one transaction. Unsubscribed, ' +
      'erased and unreachable contacts receive nothing (coordinators receive theirs regardless of ' +
      'subscription). `scheduledAt` (ISO 8601, in the future) delays sending. Send an ' +
      '`Idempotency-Key` header (or `requestId`) to make a retried request return the same `id` ' +
      'instead of broadcasting twice. 409 `no_recipients` when the audience reaches nobody.',
    tags: ['broadcasts'],
    body: z
      .object({
        text: broadcastTextSchema,
        audience: audienceSchema,
        scheduledAt: z.iso.datetime({ offset: true }).optional(),
        requestId: z.string().trim().min(1).max(REQUEST_KEY_MAX).optional(),
      })
      .strict(),
    responses: { 202: z.object({ id: z.string() }) },
    async handler({ body, actor, db, now, header }) {
      const key = header('idempotency-key')?.trim() || body.requestId;
      if (key && key.length > REQUEST_KEY_MAX)
        throw badRequest(`Idempotency-Key is longer than ${REQUEST_KEY_MAX} characters`, 'validation_failed');
      const scheduledAt = body.scheduledAt ? new Date(body.scheduledAt) : undefined;
      if (scheduledAt && scheduledAt <= now)
        throw badRequest('body.scheduledAt: must be in the future', 'scheduled_in_past');
      const draft = { text: body.text, audience: body.audience, scheduledAt };
      try {
        const { broadcast } = await db.$transaction((tx) => broadcasts(tx).publish(draft, actor, now, key));
        const id = broadcast.id;
        return reply(202, { id });
      } catch (err) {
        // The same key sent twice at once: the other request created it.
        if (key && isUniqueViolation(err)) return reply(202, { id: requestedBroadcastId(actor.label, key) });
        throw apiError(err);
      }
    },
  });

  api.route({
    method: 'get',
    path: '/broadcasts/:id',
    summary: 'A broadcast with the counts of its messages by status',
    tags: ['broadcasts'],
    params: idParams,
    responses: { 200: broadcastSchema },
    async handler({ params, db }) {
      const view = await broadcasts(db).view(params.id);
      if (!view) throw notFound('Broadcast');
      return toBroadcast(view);
    },
  });

  api.route({
    method: 'post',
    path: '/broadcasts/:id/cancel',
    summary: 'Cancel a broadcast: what is not sent yet is not sent',
    description:
      'Waiting messages become SKIPPED (`lastError` "cancelled"); one being sent at that moment still ' +
      'goes. 409 `already_finished` when the broadcast is done or cancelled.',
    tags: ['broadcasts'],
    params: idParams,
    responses: { 200: broadcastSchema },
    async handler({ params, actor, db, now }) {
      try {
        return toBroadcast(await db.$transaction((tx) => broadcasts(tx).cancel(params.id, actor, now)));
      } catch (err) {
        throw apiError(err);
      }
    },
  });
};
