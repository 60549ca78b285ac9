import type { Locale } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import type { Event, Invitation, Prisma, RsvpResponse } from '../generated/sqlite/client.js';
import { type AuditActor, createAuditService } from './audit.js';
import { type Audience, audienceSchema, findRecipients, readAudience } from './broadcast-audience.js';
import { createCoordinatorService } from './coordinators.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import {
  feedbackMessage,
  type GovernorateCounts,
  invitationMessage,
  placeFreedMessage,
  type RsvpCounts,
  reminderMessage,
  summaryMessage,
} from './event-messages.js';
import { createNotifier } from './notify.js';

export type { GovernorateCounts, RsvpCounts } from './event-messages.js';

/** Why an event action was refused; each has its words in `events:errors.*`. */
export type EventErrorCode =
  | 'not_found'
  | 'forbidden'
  | 'invalid_time'
  | 'started'
  | 'not_ended'
  | 'not_invited'
  | 'no_recipients'
  | 'not_draft';

/** A refusal of the events service: the caller's transaction is meant to roll back. */
export class EventError extends Error {
  constructor(readonly code: EventErrorCode) {
    super(`event: ${code}`);
    this.name = 'EventError';
  }
}

export interface EventDraft {
  title: string;
  description?: string;
  place: string;
  startsAt: Date;
  endsAt: Date;
  audience: Audience;
  capacity?: number;
}

/** One invitee's answer, as the RSVP list shows it. */
export interface Rsvp {
  contactId: string;
  name: string | null;
  governorate: string | null;
  response: RsvpResponse | null;
  waitlisted: boolean;
  respondedAt: Date | null;
  feedbackScore: number | null;
  feedbackText: string | null;
}

const HOUR_MS = 3_600_000;
/** Reminders before the start (DESIGN §6), in hours. */
const REMINDER_HOURS = [24, 2] as const;
const CHUNK = 500;
/** Notices and invitations go before broadcasts (as `notify.toContact` sends them). */
const INVITATION_PRIORITY = 3;

const reminderKey = (eventId: string, contactId: string, hours: number) =>
  `reminder:${eventId}:${contactId}:${hours}h`;
const feedbackKey = (eventId: string, contactId: string) => `feedback:${eventId}:${contactId}`;
/** The rows written for a place that holds: skipped ('declined') when she gives it up. */
const placeKeys = (eventId: string, contactId: string) => [
  ...REMINDER_HOURS.map((h) => reminderKey(eventId, contactId, h)),
  feedbackKey(eventId, contactId),
];
const DECLINED = 'declined';
/** How long after the end "my events" offers to comment on an event she rated by button. */
const COMMENT_DAYS = 14;

/** Her invitations (of ended events where she held a place) still waiting for her feedback. */
const awaitingFeedback = (now: Date): Prisma.InvitationWhereInput => ({
  response: 'YES',
  waitlistedAt: null,
  feedbackAt: null,
  event: { endsAt: { lte: now } },
  OR: [
    { feedbackScore: null },
    { event: { endsAt: { gte: new Date(now.getTime() - COMMENT_DAYS * 24 * HOUR_MS) } } },
  ],
});
/** A draft's audience before the coordinator chose one (the column is NOT NULL). */
const NO_AUDIENCE = {};

/** Holds a place: a yes that is not on the waiting list. */
const holdsPlace = (i: Pick<Invitation, 'response' | 'waitlistedAt'>) =>
  i.response === 'YES' && !i.waitlistedAt;

function tally<T extends Pick<Invitation, 'response' | 'waitlistedAt'>>(items: T[]): RsvpCounts {
  const counts = { invited: items.length, yes: 0, waitlisted: 0, maybe: 0, no: 0, pending: 0 };
  for (const i of items) {
    if (i.response === 'YES') counts[i.waitlistedAt ? 'waitlisted' : 'yes']++;
    else if (i.response === 'MAYBE') counts.maybe++;
    else if (i.response === 'NO') counts.no++;
    else counts.pending++;
  }
  return counts;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Meetings and workshops (DESIGN §6): coordinators create an event and invite an audience (one
 * invitation and one outbox message per person, in one transaction, not sent once the event started);
 * invitees answer attend / maybe / decline and may change it until the start. Beyond the capacity a
 * yes waits in line and a freed place goes to the first in line. A place (or a maybe) brings reminders
 * 24 h and 2 h before; a place brings a feedback question after the end. Coordinators get a summary.
 */
export function createEventService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const coordinators = createCoordinatorService(db);
  const notify = createNotifier(db, deps);

  async function mayOrganise(actor: AuditActor): Promise<void> {
    if (actor.contactId && !(await coordinators.isCoordinator(actor.contactId)))
      throw new EventError('forbidden');
  }

  async function find(id: string): Promise<Event> {
    const event = await db.event.findUnique({ where: { id } });
    if (!event) throw new EventError('not_found');
    return event;
  }

  /** Takes the event's row lock first, so two answers at once cannot both take its last place. */
  async function locked(eventId: string, now: Date): Promise<Event> {
    const { count } = await db.event.updateMany({ where: { id: eventId }, data: { updatedAt: now } });
    if (count !== 1) throw new EventError('not_found');
    return find(eventId);
  }

  async function invitationOf(contactId: string, eventId: string): Promise<Invitation> {
    const invitation = await db.invitation.findUnique({
      where: { eventId_contactId: { eventId, contactId } },
    });
    if (!invitation) throw new EventError('not_invited');
    return invitation;
  }

  /** Her invitation to an ended event where she held a place: the one she may rate. */
  async function rateable(contactId: string, eventId: string, now: Date) {
    const event = await find(eventId);
    const invitation = await invitationOf(contactId, eventId);
    if (event.endsAt > now) throw new EventError('not_ended');
    if (!holdsPlace(invitation)) throw new EventError('not_invited');
    return { event, invitation };
  }

  /** Every invitee with where she lives (her own governorate, else her cooperative's). */
  async function invitees(eventId: string) {
    const rows = await db.invitation.findMany({
      where: { eventId },
      include: {
        contact: {
          select: {
            displayName: true,
            governorate: true,
            membership: { select: { cooperative: { select: { governorate: true } } } },
          },
        },
      },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((i) => ({
      ...i,
      governorate: i.contact.governorate ?? i.contact.membership?.cooperative.governorate ?? null,
    }));
  }

  async function rsvps(eventId: string) {
    const event = await find(eventId);
    const rows = await invitees(eventId);
    const governorates = [...new Set(rows.map((r) => r.governorate))];
    const byGovernorate: GovernorateCounts[] = governorates.map((governorate) => ({
      governorate,
      ...tally(rows.filter((r) => r.governorate === governorate)),
    }));
    const items: Rsvp[] = rows.map((r) => ({
      contactId: r.contactId,
      name: r.contact.displayName,
      governorate: r.governorate,
      response: r.response,
      waitlisted: Boolean(r.waitlistedAt),
      respondedAt: r.respondedAt,
      feedbackScore: r.feedbackScore,
      feedbackText: r.feedbackText,
    }));
    return { event, items, counts: tally(rows), byGovernorate };
  }

  /**
   * Posts the counts to the coordinators' chat. `hourly`: one post per event and hour, sent at the
   * hour's end with the counts as they are then (a waiting post is rewritten on each change).
   */
  async function postSummary(eventId: string, now: Date, hourly: boolean): Promise<void> {
    if (!deps.adminChatId) return;
    const { event, counts, byGovernorate } = await rsvps(eventId);
    const hour = Math.floor(now.getTime() / HOUR_MS);
    const dedupeKey = `event-summary:${eventId}:${hourly ? hour : 'invited'}`;
    await db.outboxMessage.deleteMany({ where: { dedupeKey, status: 'PENDING' } });
    await notify.toCoordinators(
      { type: 'event', id: eventId },
      (t, locale) => summaryMessage(t, locale, event, counts, byGovernorate),
      { kind: 'event-summary', dedupeKey, notBefore: hourly ? new Date((hour + 1) * HOUR_MS) : now },
    );
  }

  /** Reminders (and, for a place, the feedback question) for her answer; skipped ones come back. */
  async function scheduleFor(event: Event, contactId: string, withFeedback: boolean, now: Date) {
    const keys = placeKeys(event.id, contactId).filter((k) => withFeedback || !k.startsWith('feedback:'));
    await db.outboxMessage.updateMany({
      where: { dedupeKey: { in: keys }, status: 'SKIPPED', lastError: DECLINED },
      data: { status: 'PENDING', lastError: null },
    });
    for (const hours of REMINDER_HOURS) {
      const notBefore = new Date(event.startsAt.getTime() - hours * HOUR_MS);
      if (notBefore <= now) continue;
      await notify.toContact(contactId, (t, locale) => reminderMessage(t, locale, event, hours), {
        kind: 'reminder',
        dedupeKey: reminderKey(event.id, contactId, hours),
        notBefore,
        expiresAt: event.startsAt,
      });
    }
    if (withFeedback)
      await notify.toContact(contactId, (t) => feedbackMessage(t, event), {
        kind: 'feedback',
        dedupeKey: feedbackKey(event.id, contactId),
        notBefore: event.endsAt,
      });
  }

  /** Her reminders or feedback question not sent yet no longer apply. */
  async function unschedule(eventId: string, contactId: string, keepReminders: boolean) {
    const keys = placeKeys(eventId, contactId).filter((k) => !keepReminders || k.startsWith('feedback:'));
    await db.outboxMessage.updateMany({
      where: { dedupeKey: { in: keys }, status: 'PENDING' },
      data: { status: 'SKIPPED', lastError: DECLINED },
    });
  }

  /** A freed place goes to the first in line, who is told. */
  async function promoteFirst(event: Event, now: Date): Promise<void> {
    const first = await db.invitation.findFirst({
      where: { eventId: event.id, response: 'YES', waitlistedAt: { not: null } },
      orderBy: { waitlistedAt: 'asc' },
    });
    if (!first?.waitlistedAt) return;
    await db.invitation.update({ where: { id: first.id }, data: { waitlistedAt: null } });
    await notify.toContact(first.contactId, (t, locale) => placeFreedMessage(t, locale, event), {
      kind: 'notice',
      dedupeKey: `event-place:${event.id}:${first.contactId}:${first.waitlistedAt.getTime()}`,
      expiresAt: event.startsAt,
    });
    await scheduleFor(event, first.contactId, true, now);
  }

  /** The event behind a coordinators' chat card while it is still a draft. */
  async function draftOf(id: string): Promise<Event> {
    const event = await find(id);
    if (event.status !== 'DRAFT') throw new EventError('not_draft');
    return event;
  }

  /** Moves a draft on to `status`; refused when someone else already did (two presses at once). */
  async function leaveDraft(id: string, status: 'OPEN' | 'CANCELLED', actor: AuditActor, now: Date) {
    await mayOrganise(actor);
    await draftOf(id);
    const { count } = await db.event.updateMany({ where: { id, status: 'DRAFT' }, data: { status } });
    if (count !== 1) throw new EventError('not_draft');
    const action = status === 'OPEN' ? 'event.create' : 'event.cancel';
    await audit.record({ actor, action, targetType: 'event', targetId: id, at: now });
  }

  /** A new event, as a draft (the chat's card) or open at once (the API); its times checked alike. */
  async function insert(
    input: Omit<EventDraft, 'audience'>,
    audience: Audience | typeof NO_AUDIENCE,
    status: 'DRAFT' | 'OPEN',
    actor: AuditActor,
    now: Date,
  ): Promise<Event> {
    await mayOrganise(actor);
    if (input.startsAt <= now || input.endsAt <= input.startsAt) throw new EventError('invalid_time');
    const { title, description, place, startsAt, endsAt, capacity } = input;
    return db.event.create({
      data: {
        title,
        description,
        place,
        startsAt,
        endsAt,
        capacity,
        audience,
        status,
        createdById: actor.contactId,
      },
    });
  }

  return {
    rsvps,

    /** The event, or null when there is none by that id. */
    get: (id: string) => db.event.findUnique({ where: { id } }),

    /**
     * An event written from the coordinators' chat before its audience is chosen: nobody sees a DRAFT
     * until `open`, so a card left half-done invites no one.
     */
    draft: (input: Omit<EventDraft, 'audience'>, actor: AuditActor, now: Date): Promise<Event> =>
      insert(input, NO_AUDIENCE, 'DRAFT', actor, now),

    /** Sets (or, with null, clears) a draft's audience. */
    async setAudience(id: string, audience: Audience | null, actor: AuditActor): Promise<void> {
      await mayOrganise(actor);
      await draftOf(id);
      const data = audience ? audienceSchema.parse(audience) : NO_AUDIENCE;
      await db.event.update({ where: { id }, data: { audience: data } });
    },

    /** A draft made an event people can be invited to. */
    open: (id: string, actor: AuditActor, now: Date) => leaveDraft(id, 'OPEN', actor, now),

    /** A draft given up: it stays in the table as CANCELLED, invisible to everyone. */
    cancelDraft: (id: string, actor: AuditActor, now: Date) => leaveDraft(id, 'CANCELLED', actor, now),

    /** Open events not ended yet, soonest first: what the coordinators' `/events` lists. */
    openEvents: (now: Date) =>
      db.event.findMany({ where: { status: 'OPEN', endsAt: { gt: now } }, orderBy: { startsAt: 'asc' } }),

    async create(input: EventDraft, actor: AuditActor, now: Date): Promise<Event> {
      const event = await insert(input, input.audience, 'OPEN', actor, now);
      await audit.record({ actor, action: 'event.create', targetType: 'event', targetId: event.id, at: now });
      return event;
    },

    /**
     * Invites everyone the audience reaches now who has no invitation yet: her invitation and its
     * outbox message (in her language, on her last address, expiring at the start) are written
     * together, so inviting again only reaches newcomers.
     */
    async invite(eventId: string, actor: AuditActor, now: Date): Promise<{ invited: number; total: number }> {
      await mayOrganise(actor);
      const event = await find(eventId);
      // A draft or a cancelled event is nobody's to answer (the chat opens its draft first).
      if (event.status !== 'OPEN') throw new EventError('not_found');
      if (event.startsAt <= now) throw new EventError('started');
      const audience = readAudience(event.audience);
      if (!audience) throw new EventError('no_recipients');
      const already = await db.invitation.findMany({ where: { eventId }, select: { contactId: true } });
      const known = new Set(already.map((i) => i.contactId));
      const fresh = (await findRecipients(db, audience)).filter((r) => !known.has(r.contactId));
      if (fresh.length === 0 && known.size === 0) throw new EventError('no_recipients');
      const messages = new Map<Locale, OutboundMessage>();
      const messageFor = (raw: string) => {
        const locale: Locale = raw === 'en' ? 'en' : 'ar';
        const message =
          messages.get(locale) ?? invitationMessage(deps.i18n.translator(locale), locale, event);
        messages.set(locale, message);
        return message as unknown as Prisma.InputJsonValue;
      };
      for (const chunk of chunks(fresh, CHUNK)) {
        await db.invitation.createMany({ data: chunk.map((r) => ({ eventId, contactId: r.contactId })) });
        await db.outboxMessage.createMany({
          data: chunk.map((r) => ({
            kind: 'invitation',
            channel: r.channel,
            contactChannelId: r.contactChannelId,
            payload: messageFor(r.locale),
            priority: INVITATION_PRIORITY,
            dedupeKey: `invite:${eventId}:${r.contactId}`,
            expiresAt: event.startsAt,
          })),
        });
      }
      await audit.record({
        actor,
        action: 'event.invite',
        targetType: 'event',
        targetId: eventId,
        data: { invited: fresh.length },
        at: now,
      });
      await postSummary(eventId, now, false);
      return { invited: fresh.length, total: known.size + fresh.length };
    },

    /**
     * Her answer, until the start. A yes beyond the capacity puts her in line (`waitlisted`); a place
     * given up goes to the first in line.
     */
    async respond(
      contactId: string,
      eventId: string,
      response: RsvpResponse,
      now: Date,
    ): Promise<{ response: RsvpResponse; waitlisted: boolean }> {
      const event = await locked(eventId, now);
      const before = await invitationOf(contactId, eventId);
      if (event.startsAt <= now) throw new EventError('started');
      if (before.response === response) return { response, waitlisted: Boolean(before.waitlistedAt) };
      let waitlistedAt: Date | null = null;
      if (response === 'YES' && event.capacity !== null) {
        const taken = await db.invitation.count({ where: { eventId, response: 'YES', waitlistedAt: null } });
        if (taken >= event.capacity) waitlistedAt = now;
      }
      await db.invitation.update({
        where: { id: before.id },
        data: { response, respondedAt: now, waitlistedAt },
      });
      if (response === 'NO' || waitlistedAt) await unschedule(eventId, contactId, false);
      else if (response === 'MAYBE') {
        await unschedule(eventId, contactId, true);
        await scheduleFor(event, contactId, false, now);
      } else await scheduleFor(event, contactId, true, now);
      if (holdsPlace(before) && event.capacity !== null) await promoteFirst(event, now);
      await postSummary(eventId, now, true);
      return { response, waitlisted: Boolean(waitlistedAt) };
    },

    /**
     * Her score (1–5) and comment (or none: she skipped it) after an event where she held a place; she
     * gives them once, and is no longer asked.
     */
    async feedback(contactId: string, eventId: string, score: number, text: string | null, now: Date) {
      const { invitation } = await rateable(contactId, eventId, now);
      await db.invitation.update({
        where: { id: invitation.id },
        data: { attended: true, feedbackScore: score, feedbackText: text, feedbackAt: now },
      });
    },

    /**
     * Her score alone, from the feedback notice's buttons: a new press changes it and keeps her comment.
     * Until she comments or skips, "my events" offers to add a comment (for COMMENT_DAYS).
     */
    async rate(contactId: string, eventId: string, score: number, now: Date): Promise<Event> {
      const { event, invitation } = await rateable(contactId, eventId, now);
      await db.invitation.update({
        where: { id: invitation.id },
        data: { attended: true, feedbackScore: score },
      });
      return event;
    },

    /** Her invitations to events not ended yet, soonest first. */
    upcoming: (contactId: string, now: Date) =>
      db.invitation.findMany({
        where: { contactId, event: { endsAt: { gt: now }, status: 'OPEN' } },
        include: { event: true },
        orderBy: { event: { startsAt: 'asc' } },
      }),

    /**
     * Ended events where she held a place and has not given her feedback yet: not rated, or rated by
     * button and not commented on (for COMMENT_DAYS after the end).
     */
    awaitingFeedback: (contactId: string, now: Date) =>
      db.invitation.findMany({
        where: { contactId, ...awaitingFeedback(now) },
        include: { event: true },
        orderBy: { event: { endsAt: 'desc' } },
      }),

    /** Whether "my events" has anything for her. */
    async hasAny(contactId: string, now: Date): Promise<boolean> {
      const found = await db.invitation.findFirst({
        where: {
          contactId,
          OR: [{ event: { endsAt: { gt: now }, status: 'OPEN' } }, awaitingFeedback(now)],
        },
        select: { id: true },
      });
      return found !== null;
    },
  };
}

export type EventService = ReturnType<typeof createEventService>;
