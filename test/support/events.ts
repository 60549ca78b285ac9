import type { OutboundMessage } from '../../src/core/message.js';
import type { Db } from '../../src/db/client.js';
import type { EventDraft } from '../../src/services/events.js';
import type { EngineHarness } from './engine-harness.js';
import { onboardMember } from './onboarding.js';

export const HOUR = 3_600_000;
/** Who creates and invites in these tests: the admin API. */
export const API = { label: 'admin-token:test', channel: 'api' };

/** A workshop for every subscriber, three days after `now`, three hours long. */
export function workshop(now: Date, fields: Partial<EventDraft> = {}): EventDraft {
  const startsAt = new Date(now.getTime() + 72 * HOUR);
  return {
    title: 'ورشة التسويق الرقمي',
    place: 'مركز المرأة، جباليا',
    startsAt,
    endsAt: new Date(startsAt.getTime() + 3 * HOUR),
    audience: { kind: 'all' },
    ...fields,
  };
}

/** Members who asked for news (so an `all` audience reaches them), in the order given; their contact ids. */
export async function subscribers(h: EngineHarness, ...users: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const user of users) {
    await onboardMember(h, user);
    const contact = await h.contactOf(user);
    await h.prisma.contact.update({ where: { id: contact?.id }, data: { subscribed: true } });
    ids.push(contact?.id as string);
  }
  return ids;
}

/** Her invitation to an event, as the database holds it now. */
export const invitationOf = (prisma: Pick<Db, 'invitation'>, eventId: string, contactId: string) =>
  prisma.invitation.findUniqueOrThrow({ where: { eventId_contactId: { eventId, contactId } } });

/** The last notice of `kind` queued for her, as the outbox holds it (what every channel renders). */
export async function noticeTo(h: EngineHarness, contactId: string, kind: string): Promise<OutboundMessage> {
  const row = await h.prisma.outboxMessage.findFirstOrThrow({
    where: { kind, contactChannel: { contactId } },
    orderBy: { createdAt: 'desc' },
  });
  return row.payload as unknown as OutboundMessage;
}

/** She presses the button labelled `label` on a notice, as a channel hands the press to the engine. */
export function pressOn(h: EngineHarness, user: string, notice: OutboundMessage, label: string) {
  const choice = notice.choices?.find((c) => c.label === label);
  if (!choice) throw new Error(`no button "${label}" on the notice`);
  return h.send(user, { kind: 'choice', choiceId: choice.id, token: notice.choiceToken });
}

/** The helpers above bound to one engine harness. */
export const eventHelpers = (h: EngineHarness) => ({
  subscribers: (...users: string[]) => subscribers(h, ...users),
  noticeTo: (contactId: string, kind: string) => noticeTo(h, contactId, kind),
  pressOn: (user: string, notice: OutboundMessage, label: string) => pressOn(h, user, notice, label),
  invitationOf: (eventId: string, contactId: string) => invitationOf(h.prisma, eventId, contactId),
});
