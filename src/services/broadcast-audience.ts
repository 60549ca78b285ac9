import { z } from 'zod';
import { GOVERNORATES } from '../data/governorates.js';
import type { Prisma } from '../generated/sqlite/client.js';
import type { DbClient } from './db.js';

const governorateSlug = z.enum(GOVERNORATES.map((g) => g.slug) as [string, ...string[]]);

/**
 * Who a broadcast goes to: the JSON stored in `Broadcast.audience` (and `Event.audience`).
 * Subscribers (`all`), those of some governorates (by their own governorate or their cooperative's),
 * the members of one cooperative, every member, buyers, or the coordinators.
 */
export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({
    kind: z.literal('governorates'),
    slugs: z.array(governorateSlug).min(1).max(GOVERNORATES.length),
  }),
  z.object({ kind: z.literal('cooperative'), id: z.string().min(1).max(64) }),
  z.object({ kind: z.literal('members') }),
  z.object({ kind: z.literal('buyers') }),
  z.object({ kind: z.literal('coordinators') }),
]);
export type Audience = z.infer<typeof audienceSchema>;
export type AudienceKind = Audience['kind'];
export const AUDIENCE_KINDS: readonly AudienceKind[] = [
  'all',
  'governorates',
  'cooperative',
  'members',
  'buyers',
  'coordinators',
];

/** The audience stored in a broadcast, or null while a draft has none (or it is not one we know). */
export function readAudience(json: unknown): Audience | null {
  const parsed = audienceSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** Active in a cooperative the coordinators approved: what makes a contact a member. */
const MEMBER: Prisma.MembershipWhereInput = { status: 'ACTIVE', cooperative: { status: 'APPROVED' } };
const STAFF: Prisma.ContactWhereInput = { role: { in: ['COORDINATOR', 'ADMIN'] } };

/** Contacts an audience names, before reachability; everyone but coordinators must have asked for news. */
function audienceWhere(audience: Audience): Prisma.ContactWhereInput {
  switch (audience.kind) {
    case 'coordinators':
      return STAFF;
    case 'all':
      return { subscribed: true };
    case 'members':
      return { subscribed: true, membership: { is: MEMBER } };
    case 'buyers':
      return { subscribed: true, role: 'USER', NOT: { membership: { is: MEMBER } } };
    case 'cooperative':
      return { subscribed: true, membership: { is: { status: 'ACTIVE', cooperativeId: audience.id } } };
    case 'governorates':
      return {
        subscribed: true,
        OR: [
          { governorate: { in: audience.slugs } },
          {
            membership: {
              is: { ...MEMBER, cooperative: { status: 'APPROVED', governorate: { in: audience.slugs } } },
            },
          },
        ],
      };
  }
}

/** An address the dispatcher may still write to (Telegram 403 marks it unreachable). */
const REACHABLE: Prisma.ContactChannelWhereInput = { unreachable: false };

/** Who receives: the audience, not erased, with at least one reachable address. */
const recipientsWhere = (audience: Audience): Prisma.ContactWhereInput => ({
  AND: [audienceWhere(audience), { erasedAt: null, channels: { some: REACHABLE } }],
});

/**
 * Her broadcast messages not sent yet, once she asked for no more news (STOP): skipped
 * ('unsubscribed') so a queued or scheduled broadcast does not reach her after all. Broadcasts to
 * coordinators are work, not news (they reach coordinators whether subscribed or not): they still go.
 */
export async function skipUnsentNews(db: DbClient, contactId: string): Promise<number> {
  const rows = await db.outboxMessage.findMany({
    where: { kind: 'broadcast', status: 'PENDING', contactChannel: { contactId } },
    select: { id: true, broadcast: { select: { audience: true } } },
  });
  const news = rows.filter((r) => readAudience(r.broadcast?.audience)?.kind !== 'coordinators');
  if (news.length === 0) return 0;
  const { count } = await db.outboxMessage.updateMany({
    where: { id: { in: news.map((r) => r.id) }, status: 'PENDING' },
    data: { status: 'SKIPPED', lastError: 'unsubscribed' },
  });
  return count;
}

/** One recipient: her language and the address she used last (web sessions included). */
export interface Recipient {
  contactId: string;
  locale: string;
  contactChannelId: string;
  channel: string;
}

/** How many people an audience reaches now (one message each). */
export const countRecipients = (db: DbClient, audience: Audience): Promise<number> =>
  db.contact.count({ where: recipientsWhere(audience) });

/**
 * Contacts read per query: Prisma loads each page's addresses with one `IN (…)` of its contact ids,
 * and SQLite refuses a query with more bound parameters than its limit (a 3,000-person broadcast did).
 */
const RECIPIENT_PAGE = 500;

/** Everyone an audience reaches now, each on her most recently used reachable address. */
export async function findRecipients(db: DbClient, audience: Audience): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  for (let after: string | undefined; ; ) {
    const contacts = await db.contact.findMany({
      where: { AND: [recipientsWhere(audience), ...(after ? [{ id: { gt: after } }] : [])] },
      select: {
        id: true,
        locale: true,
        channels: {
          where: REACHABLE,
          orderBy: [{ lastInboundAt: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
          take: 1,
          select: { id: true, channel: true },
        },
      },
      orderBy: { id: 'asc' },
      take: RECIPIENT_PAGE,
    });
    for (const { id, locale, channels } of contacts) {
      const address = channels[0];
      if (address)
        recipients.push({ contactId: id, locale, contactChannelId: address.id, channel: address.channel });
    }
    if (contacts.length < RECIPIENT_PAGE) return recipients;
    after = contacts.at(-1)?.id;
  }
}
