import { createHash } from 'node:crypto';
import type { Locale } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import { BROADCAST_PRIORITY } from '../dispatch/pacer.js';
import type { Broadcast, BroadcastStatus, Prisma } from '../generated/sqlite/client.js';
import { type AuditActor, createAuditService } from './audit.js';
import { type Audience, countRecipients, findRecipients, readAudience } from './broadcast-audience.js';
import { createBroadcastLifecycle } from './broadcast-lifecycle.js';
import {
  type BroadcastText,
  describeAudience,
  readBroadcastText,
  readText,
  recipientMessage,
} from './broadcast-messages.js';
import { BroadcastError, type BroadcastView, broadcastView } from './broadcast-records.js';
import { readJoinCode } from './cooperative-rules.js';
import { createCooperativeService } from './cooperatives.js';
import { createCoordinatorService } from './coordinators.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';

export { type Audience, audienceSchema } from './broadcast-audience.js';
export { BroadcastError, type BroadcastErrorCode, type BroadcastView } from './broadcast-records.js';

/** A broadcast being written: its words, optionally a stored photo, the audience and a send time. */
export interface BroadcastDraft {
  text: BroadcastText;
  audience?: Audience;
  mediaId?: string;
  scheduledAt?: Date;
  /** 'relay': a post of the coalition's channel offered to every channel's subscribers. */
  kind?: 'news' | 'relay';
}

/** Outbox rows written per statement: large audiences go in several, inside the caller's transaction. */
const CHUNK = 500;
/** Cooperatives named back when a name matches several. */
const AMBIGUOUS_NAMES = 5;
const FINISHED: BroadcastStatus[] = ['DONE', 'CANCELLED'];
/** A draft's audience before the coordinator chose one. */
const NO_AUDIENCE = {};

/**
 * The id of the broadcast a client request creates, derived from who asked and the request's key:
 * repeating the request finds the same row instead of creating a second (the primary key is the guard).
 */
export function requestedBroadcastId(actorLabel: string, requestKey: string): string {
  return `r${createHash('sha256').update(`${actorLabel}\n${requestKey}`).digest('hex').slice(0, 24)}`;
}

/** The draft's words in each language, trimmed; a language with no words or too many is refused. */
function checkedText(text: BroadcastText): BroadcastText {
  const read = (words: string) => {
    const checked = readBroadcastText(words);
    if (!checked.ok) throw new BroadcastError('invalid_text');
    return checked.text;
  };
  return { ar: read(text.ar), ...(text.en === undefined ? {} : { en: read(text.en) }) };
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Broadcasts (DESIGN §6, §7): a draft is written, given an audience, then queued: its outbox rows
 * (one per person, on the address she used last, in her language) are written with the status
 * change, so the caller's transaction commits both or neither, and `(broadcastId, contactChannelId)`
 * is unique. Cancelling skips what is not sent yet; `finishIfDone` closes a broadcast with nothing
 * left to send and queues its report. Only coordinators (or an admin token) may act.
 */
export function createBroadcastService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const coordinators = createCoordinatorService(db);

  async function mayBroadcast(actor: AuditActor): Promise<void> {
    if (actor.contactId && !(await coordinators.isCoordinator(actor.contactId)))
      throw new BroadcastError('forbidden');
  }

  async function find(id: string): Promise<Broadcast> {
    const broadcast = await db.broadcast.findUnique({ where: { id } });
    if (!broadcast) throw new BroadcastError('not_found');
    return broadcast;
  }

  async function draft(id: string): Promise<Broadcast> {
    const broadcast = await find(id);
    if (broadcast.status !== 'DRAFT') throw new BroadcastError('not_draft');
    return broadcast;
  }

  async function checkAudience(audience: Audience): Promise<void> {
    if (audience.kind !== 'cooperative') return;
    const cooperative = await db.cooperative.findUnique({ where: { id: audience.id } });
    if (cooperative?.status !== 'APPROVED') throw new BroadcastError('unknown_cooperative');
  }

  /** Outbox rows for everyone the audience reaches now; the text is built once per language. */
  async function recipientRows(broadcast: Broadcast, audience: Audience, notBefore: Date) {
    const text = readText(broadcast.text);
    const translator = (locale: Locale) => deps.i18n.translator(locale);
    const messages = new Map<string, OutboundMessage>();
    const messageFor = (locale: string) => {
      const key = locale === 'en' ? 'en' : 'ar';
      const message =
        messages.get(key) ?? recipientMessage(translator, text, key, audience, broadcast.mediaId);
      messages.set(key, message);
      return message;
    };
    const recipients = await findRecipients(db, audience);
    return recipients.map(
      (r): Prisma.OutboxMessageCreateManyInput => ({
        broadcastId: broadcast.id,
        kind: 'broadcast',
        channel: r.channel,
        contactChannelId: r.contactChannelId,
        payload: messageFor(r.locale) as unknown as Prisma.InputJsonValue,
        priority: BROADCAST_PRIORITY,
        notBefore,
      }),
    );
  }

  /**
   * Writes a draft. With `requestKey` (a client's idempotency key) the id derives from it: a repeated
   * request returns the broadcast the first one made (`created: false`) whatever it became since.
   */
  async function createDraft(
    input: BroadcastDraft,
    actor: AuditActor,
    now: Date,
    requestKey?: string,
  ): Promise<{ broadcast: Broadcast; created: boolean }> {
    await mayBroadcast(actor);
    const id = requestKey === undefined ? undefined : requestedBroadcastId(actor.label, requestKey);
    const existing = id ? await db.broadcast.findUnique({ where: { id } }) : null;
    if (existing) return { broadcast: existing, created: false };
    const text = checkedText(input.text);
    if (input.audience) await checkAudience(input.audience);
    const broadcast = await db.broadcast.create({
      data: {
        id,
        kind: input.kind ?? 'news',
        authorId: actor.contactId,
        text,
        mediaId: input.mediaId,
        audience: input.audience ?? NO_AUDIENCE,
        scheduledAt: input.scheduledAt,
      },
    });
    await audit.record({
      actor,
      action: 'broadcast.create',
      targetType: 'broadcast',
      targetId: broadcast.id,
      data: { photo: Boolean(input.mediaId), languages: Object.keys(text) },
      at: now,
    });
    return { broadcast, created: true };
  }

  /**
   * Queues a draft: one outbox row per person the audience reaches now, due at the send time (or
   * now), in this transaction with the status change. Only a draft is queued, so a second call,
   * a double press or a retried request writes nothing. `progressChatId`: the chat that follows it.
   */
  async function queue(
    id: string,
    actor: AuditActor,
    now: Date,
    options: { scheduledAt?: Date; progressChatId?: string } = {},
  ): Promise<{ broadcast: Broadcast; recipients: number }> {
    await mayBroadcast(actor);
    const broadcast = await draft(id);
    const audience = readAudience(broadcast.audience);
    if (!audience) throw new BroadcastError('no_audience');
    await checkAudience(audience);
    const scheduledAt = options.scheduledAt ?? broadcast.scheduledAt;
    const notBefore = scheduledAt && scheduledAt > now ? scheduledAt : now;
    const rows = await recipientRows(broadcast, audience, notBefore);
    if (rows.length === 0) throw new BroadcastError('no_recipients');
    const { count } = await db.broadcast.updateMany({
      where: { id, status: 'DRAFT' },
      data: { status: 'QUEUED', scheduledAt, progressChatId: options.progressChatId },
    });
    if (count !== 1) throw new BroadcastError('not_draft');
    for (const chunk of chunks(rows, CHUNK)) await db.outboxMessage.createMany({ data: chunk });
    await audit.record({
      actor,
      action: 'broadcast.queue',
      targetType: 'broadcast',
      targetId: id,
      data: {
        audience: audience.kind,
        recipients: rows.length,
        scheduledAt: scheduledAt?.toISOString() ?? null,
      },
      at: now,
    });
    return { broadcast: await find(id), recipients: rows.length };
  }

  return {
    ...createBroadcastLifecycle(db, deps),
    view: (id: string) => broadcastView(db, id),
    createDraft,
    queue,

    /**
     * Writes a broadcast and queues it at once (the admin API, the coordinators' menu flow). Nothing
     * is written when the audience reaches nobody; a repeated `requestKey` returns the first one.
     */
    async publish(
      input: BroadcastDraft & { audience: Audience },
      actor: AuditActor,
      now: Date,
      requestKey?: string,
    ): Promise<{ broadcast: Broadcast; created: boolean; recipients: number }> {
      await mayBroadcast(actor);
      const existing = requestKey
        ? await db.broadcast.findUnique({ where: { id: requestedBroadcastId(actor.label, requestKey) } })
        : null;
      if (existing) return { broadcast: existing, created: false, recipients: 0 };
      await checkAudience(input.audience);
      if ((await countRecipients(db, input.audience)) === 0) throw new BroadcastError('no_recipients');
      const { broadcast } = await createDraft(input, actor, now, requestKey);
      // Sent from the API or another channel, it is followed in the coordinators' chat all the same.
      const followed = { progressChatId: deps.adminChatId };
      return { ...(await queue(broadcast.id, actor, now, followed)), created: true };
    },

    /** What an Arabic-speaking recipient of a broadcast will read: the coordinator's preview. */
    recipientPreview: (text: BroadcastText, audience: Audience, mediaId: string | null) =>
      recipientMessage((locale) => deps.i18n.translator(locale), text, 'ar', audience, mediaId),

    /** How many people an audience reaches now (the preview's number). */
    countRecipients: (audience: Audience) => countRecipients(db, audience),

    /** The audience in words, with a cooperative's name looked up. */
    async describe(audience: Audience, locale: Locale): Promise<string> {
      const cooperative =
        audience.kind === 'cooperative'
          ? await db.cooperative.findUnique({ where: { id: audience.id }, select: { name: true } })
          : null;
      return describeAudience(deps.i18n.translator(locale), locale, audience, cooperative?.name);
    },

    /**
     * The approved cooperative a coordinator means by its join code or (part of) its name; when
     * several names match, their names so she can say which.
     */
    async findCooperative(
      text: string,
    ): Promise<{ ok: true; id: string; name: string } | { ok: false; names: string[] }> {
      const code = readJoinCode(text);
      const byCode = code
        ? await db.cooperative.findFirst({ where: { joinCode: code, status: 'APPROVED' } })
        : null;
      const found = byCode
        ? [byCode]
        : await createCooperativeService(db, deps).searchApproved(text, AMBIGUOUS_NAMES);
      const [only] = found;
      return found.length === 1 && only
        ? { ok: true, id: only.id, name: only.name }
        : { ok: false, names: found.map((c) => c.name) };
    },

    /** Sets (or, with null, clears) a draft's audience. */
    async setAudience(id: string, audience: Audience | null, actor: AuditActor): Promise<void> {
      await mayBroadcast(actor);
      await draft(id);
      if (audience) await checkAudience(audience);
      await db.broadcast.update({ where: { id }, data: { audience: audience ?? NO_AUDIENCE } });
    },

    /** Stops a broadcast: what is not sent yet is skipped ('cancelled'); a message in flight still goes. */
    async cancel(id: string, actor: AuditActor, now: Date): Promise<BroadcastView> {
      await mayBroadcast(actor);
      await find(id);
      const { count } = await db.broadcast.updateMany({
        where: { id, status: { notIn: FINISHED } },
        data: { status: 'CANCELLED' },
      });
      if (count !== 1) throw new BroadcastError('finished');
      const skipped = await db.outboxMessage.updateMany({
        where: { broadcastId: id, status: 'PENDING' },
        data: { status: 'SKIPPED', lastError: 'cancelled' },
      });
      await audit.record({
        actor,
        action: 'broadcast.cancel',
        targetType: 'broadcast',
        targetId: id,
        data: { skipped: skipped.count },
        at: now,
      });
      return (await broadcastView(db, id)) as BroadcastView;
    },
  };
}

export type BroadcastService = ReturnType<typeof createBroadcastService>;
