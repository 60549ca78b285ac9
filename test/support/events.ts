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
