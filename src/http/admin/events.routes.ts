import { stringify } from 'csv-stringify/sync';
import { z } from 'zod';
import { parseSendTime } from '../../i18n/gaza-time.js';
import { audienceSchema } from '../../services/broadcast-audience.js';
import type { DbClient } from '../../services/db.js';
import { createEventService, EventError, type Rsvp } from '../../services/events.js';
import { ApiError, badRequest, conflict, notFound } from './errors.js';
import { type AdminRouteModule, fileReply, reply } from './routes.js';

const CSV_COLUMNS = [
  'name',
  'governorate',
  'response',
  'waitlisted',
  'respondedAt',
  'feedbackScore',
  'feedbackText',
] as const;

const isoWithOffset = z.iso.datetime({ offset: true });
/** ISO 8601 with an offset, or Gaza wall-clock time "2026-12-05 10:00". */
const eventTime = z.string().trim().min(1).max(40);

/** The instant a request names, or a 400 saying which field is wrong. */
function readTime(text: string, field: string, now: Date): Date {
  if (isoWithOffset.safeParse(text).success) return new Date(text);
  const parsed = parseSendTime(text, now);
  if (parsed.ok) return parsed.value;
  const why = parsed.error === 'past' ? 'is in the past' : 'is neither ISO 8601 nor "YYYY-MM-DD HH:MM"';
  throw badRequest(`body.${field}: ${why}`, 'invalid_time');
}

const countsSchema = z.object({
  invited: z.number().int(),
  /** Attending, holding a place. */
  yes: z.number().int(),
  /** Said yes beyond the capacity. */
  waitlisted: z.number().int(),
  maybe: z.number().int(),
  no: z.number().int(),
  pending: z.number().int(),
});

const eventSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  place: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  audience: audienceSchema,
  capacity: z.number().int().nullable(),
});

const rsvpsSchema = z.object({
  event: eventSchema,
  counts: countsSchema,
  byGovernorate: z.array(countsSchema.extend({ governorate: z.string().nullable() })),
  items: z.array(
    z.object({
      contactId: z.string(),
      name: z.string().nullable(),
      governorate: z.string().nullable(),
      response: z.enum(['YES', 'MAYBE', 'NO']).nullable(),
      waitlisted: z.boolean(),
      respondedAt: z.iso.datetime().nullable(),
      feedbackScore: z.number().int().nullable(),
      feedbackText: z.string().nullable(),
    }),
  ),
});

function toCsv(items: Rsvp[]): string {
  const rows = items.map((r) => ({
    ...r,
    waitlisted: String(r.waitlisted),
    respondedAt: r.respondedAt?.toISOString() ?? '',
  }));
  return `\uFEFF${stringify(rows, { header: true, columns: [...CSV_COLUMNS] })}`;
}

/** The service's refusals as HTTP answers. */
function apiError(err: unknown): unknown {
  if (!(err instanceof EventError)) return err;
  switch (err.code) {
    case 'not_found':
      return notFound('Event');
    case 'forbidden':
      return new ApiError(403, 'forbidden', 'Only coordinators may organise events');
    case 'invalid_time':
      return badRequest('body: startsAt must be in the future and endsAt after it', 'invalid_time');
    case 'no_recipients':
      return conflict('Nobody in this audience can be reached now', 'no_recipients');
    default:
      return conflict('The event has started', 'started');
  }
}

const idParams = z.object({ id: z.string().max(64) });

/**
 * Meetings and workshops (DESIGN §6): create an event, invite its audience (202 with counts), and
 * read the answers (JSON with counts by answer and governorate, or CSV).
 */
export const eventRoutes: AdminRouteModule = (api, deps) => {
  const events = (db: DbClient) => createEventService(db, deps.services);

  api.route({
    method: 'post',
    path: '/events',
    summary: 'Create an event',
    description:
      'Times are ISO 8601 with an offset, or Gaza wall-clock time "2026-12-05 10:00". The start must ' +
      'be in the future and the end after it (400 `invalid_time`). Nobody is invited yet.',
    tags: ['events'],
    body: z
      .object({
        title: z.string().trim().min(1).max(120),
        description: z.string().trim().min(1).max(1000).optional(),
        place: z.string().trim().min(1).max(200),
        startsAt: eventTime,
        endsAt: eventTime,
        audience: audienceSchema,
        capacity: z.number().int().positive().max(100_000).optional(),
      })
      .strict(),
    responses: { 201: eventSchema },
    async handler({ body, actor, db, now }) {
      const draft = {
        ...body,
        startsAt: readTime(body.startsAt, 'startsAt', now),
        endsAt: readTime(body.endsAt, 'endsAt', now),
      };
      try {
        const event = await db.$transaction((tx) => events(tx).create(draft, actor, now));
        return reply(201, { ...event, audience: body.audience });
      } catch (err) {
        throw apiError(err);
      }
    },
  });

  api.route({
    method: 'post',
    path: '/events/:id/invitations',
    summary: 'Invite the audience of an event',
    description:
      'One invitation and one outbox message per person the audience reaches now, in one transaction; ' +
      'people invited before are not invited again (`invited` counts the new ones, `total` all). ' +
      'A message not sent by the start is not sent. 409 `started` once the event has started; 404 ' +
      "`not_found` for an event that is not open (a draft of the coordinators' chat, or cancelled).",
    tags: ['events'],
    params: idParams,
    responses: { 202: z.object({ invited: z.number().int(), total: z.number().int() }) },
    async handler({ params, actor, db, now }) {
      try {
        return reply(202, await db.$transaction((tx) => events(tx).invite(params.id, actor, now)));
      } catch (err) {
        throw apiError(err);
      }
    },
  });

  api.route({
    method: 'get',
    path: '/events/:id/rsvps',
    summary: 'The answers to an event, with counts by answer and by governorate',
    description: `\`format=csv\` downloads the list as UTF-8 CSV with a BOM (columns ${CSV_COLUMNS.join(', ')}).`,
    tags: ['events'],
    params: idParams,
    query: z.object({ format: z.enum(['json', 'csv']).default('json') }),
    responses: { 200: rsvpsSchema },
    async handler({ params, query, db }) {
      try {
        const rsvps = await events(db).rsvps(params.id);
        if (query.format === 'csv')
          return fileReply('text/csv; charset=utf-8', 'rsvps.csv', toCsv(rsvps.items));
        return rsvps;
      } catch (err) {
        throw apiError(err);
      }
    },
  });
};
