import type { BuyerInquiry, Prisma } from '../generated/sqlite/client.js';
import type { Translate } from '../i18n/i18n.js';
import { type AuditActor, createAuditService } from './audit.js';
import type { DbClient, PageWindow } from './db.js';
import type { ServiceDeps } from './deps.js';
import { contactActor } from './memberships.js';
import { createNotifier } from './notify.js';
import { createProductService } from './products.js';

/** The longest message of a buyer's thread, either side (DESIGN §11: every input has a limit). */
export const INQUIRY_TEXT_MAX = 1000;

/** Why a message or a change did not happen; each has a polite sentence in `catalogue:inquiry.errors`. */
export type InquiryError = 'empty' | 'too_long' | 'not_available' | 'not_found' | 'closed';

export type InquiryOutcome = { ok: true; inquiry: BuyerInquiry } | { ok: false; error: InquiryError };

/** What a thread is shown with: its product and cooperative names, the buyer's name, the messages. */
const THREAD_INCLUDE = {
  product: { select: { name: true } },
  cooperative: { select: { name: true } },
  buyer: { select: { displayName: true } },
  messages: { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
} as const satisfies Prisma.BuyerInquiryInclude;

const LIST_INCLUDE = {
  product: { select: { name: true } },
  cooperative: { select: { name: true } },
  buyer: { select: { displayName: true } },
} as const satisfies Prisma.BuyerInquiryInclude;

export type InquiryThread = Prisma.BuyerInquiryGetPayload<{ include: typeof THREAD_INCLUDE }>;

/**
 * How members know a buyer: her first name only, never her phone or full name (DESIGN §11).
 * @example buyerName('سلمى أحمد يوسف') // 'سلمى'
 */
export const buyerName = (displayName: string | null | undefined): string | null =>
  displayName?.trim().split(/\s+/)[0] || null;

/** The message text as kept, or why it cannot be sent. */
function readText(text: string): { ok: true; text: string } | { ok: false; error: InquiryError } {
  const body = text.trim();
  if (body === '') return { ok: false, error: 'empty' };
  if (body.length > INQUIRY_TEXT_MAX) return { ok: false, error: 'too_long' };
  return { ok: true, text: body };
}

/**
 * Buyers' questions to a cooperative (DESIGN §11: buyers reach a cooperative through the bot). A
 * question becomes an inquiry whose messages are relayed: the cooperative's members are told on
 * their channels and answer from their menu; the buyer gets each answer and may write back. OPEN
 * waits for the cooperative, ANSWERED for the buyer; a member may close it.
 */
export function createInquiryService(db: DbClient, deps: ServiceDeps) {
  const audit = createAuditService(db);
  const notify = createNotifier(db, deps);
  const products = createProductService(db, deps);

  /** Tells every active member of the cooperative (but the buyer herself) about a buyer's message. */
  async function tellMembers(inquiry: InquiryThread, messageId: string, text: string, first: boolean) {
    const members = await db.membership.findMany({
      where: { cooperativeId: inquiry.cooperativeId, status: 'ACTIVE', contact: { erasedAt: null } },
      select: { contactId: true },
    });
    const build = (t: Translate) => ({
      text: [
        t(first ? 'catalogue:inquiry.notify.new' : 'catalogue:inquiry.notify.more', {
          name: buyerName(inquiry.buyer.displayName) ?? t('catalogue:inquiry.aBuyer'),
          product: inquiry.product?.name ?? t('catalogue:inquiry.noProduct'),
        }),
        t('catalogue:inquiry.notify.text', { text }),
        t('catalogue:inquiry.notify.howToAnswer'),
      ].join('\n'),
    });
    for (const { contactId } of members) {
      if (contactId === inquiry.buyerId) continue;
      await notify.toContact(contactId, build, {
        kind: 'buyer-inquiry',
        dedupeKey: `inquiry:${inquiry.id}:message:${messageId}:member:${contactId}`,
      });
    }
  }

  /** Adds a message to a thread and moves it to `status`. */
  async function addMessage(
    inquiryId: string,
    author: { id: string; role: 'buyer' | 'member' },
    text: string,
    status: 'OPEN' | 'ANSWERED',
    now: Date,
  ) {
    const message = await db.threadMessage.create({
      data: { inquiryId, authorId: author.id, authorRole: author.role, text, createdAt: now },
    });
    const inquiry = await db.buyerInquiry.update({
      where: { id: inquiryId },
      data: { status, updatedAt: now },
      include: THREAD_INCLUDE,
    });
    return { message, inquiry };
  }

  /** The inquiry when it belongs to the cooperative she answers for (active member, approved). */
  async function ofMember(contactId: string, inquiryId: string) {
    const cooperative = await products.postingCooperative(contactId);
    if (!cooperative) return null;
    return db.buyerInquiry.findFirst({
      where: { id: inquiryId, cooperativeId: cooperative.id },
      include: THREAD_INCLUDE,
    });
  }

  /** A page of the inquiries `where` picks, latest activity first, with how many there are. */
  async function page(where: Prisma.BuyerInquiryWhereInput, window: PageWindow) {
    const items = await db.buyerInquiry.findMany({
      where,
      include: LIST_INCLUDE,
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
      ...window,
    });
    return { items, total: await db.buyerInquiry.count({ where }) };
  }

  const ofBuyer = (buyerId: string, inquiryId: string) =>
    db.buyerInquiry.findFirst({ where: { id: inquiryId, buyerId }, include: THREAD_INCLUDE });

  type Thread = NonNullable<Awaited<ReturnType<typeof ofBuyer>>>;

  /** A message she may add: its text within the limits, to a thread she can see that is not closed. */
  async function writable(text: string, find: () => Promise<Thread | null>) {
    const read = readText(text);
    if (!read.ok) return read;
    const thread = await find();
    if (!thread) return { ok: false, error: 'not_found' } as const;
    if (thread.status === 'CLOSED') return { ok: false, error: 'closed' } as const;
    return { ok: true, text: read.text, thread } as const;
  }

  return {
    /**
     * A buyer's question about a visible product: a new inquiry, relayed to the members of its
     * cooperative. Refused when the product is not visible (hidden, or its cooperative not approved).
     */
    async ask(buyerId: string, productId: string, text: string, channel: string, now = deps.clock()) {
      const read = readText(text);
      if (!read.ok) return read;
      const product = await db.product.findFirst({
        where: { id: productId, status: 'PUBLISHED', cooperative: { status: 'APPROVED' } },
      });
      if (!product) return { ok: false, error: 'not_available' } as const;
      const created = await db.buyerInquiry.create({
        data: { buyerId, cooperativeId: product.cooperativeId, productId, createdAt: now, updatedAt: now },
      });
      const { message, inquiry } = await addMessage(
        created.id,
        { id: buyerId, role: 'buyer' },
        read.text,
        'OPEN',
        now,
      );
      await audit.record({
        actor: contactActor(buyerId, channel),
        action: 'inquiry.open',
        targetType: 'inquiry',
        targetId: inquiry.id,
        data: { cooperativeId: inquiry.cooperativeId, productId },
        at: now,
      });
      await tellMembers(inquiry, message.id, read.text, true);
      return { ok: true, inquiry } as const;
    },

    /** The buyer writes back in her thread; the members are told again. */
    async buyerReply(
      buyerId: string,
      inquiryId: string,
      text: string,
      now = deps.clock(),
    ): Promise<InquiryOutcome> {
      const read = await writable(text, () => ofBuyer(buyerId, inquiryId));
      if (!read.ok) return read;
      const { thread } = read;
      const cooperative = await db.cooperative.findUnique({ where: { id: thread.cooperativeId } });
      if (cooperative?.status !== 'APPROVED') return { ok: false, error: 'not_available' };
      const { message, inquiry } = await addMessage(
        inquiryId,
        { id: buyerId, role: 'buyer' },
        read.text,
        'OPEN',
        now,
      );
      await tellMembers(inquiry, message.id, read.text, false);
      return { ok: true, inquiry };
    },

    /** A member's answer: kept in the thread and relayed to the buyer on the channel she used last. */
    async answer(
      contactId: string,
      inquiryId: string,
      text: string,
      now = deps.clock(),
    ): Promise<InquiryOutcome> {
      const read = await writable(text, () => ofMember(contactId, inquiryId));
      if (!read.ok) return read;
      const { message, inquiry } = await addMessage(
        inquiryId,
        { id: contactId, role: 'member' },
        read.text,
        'ANSWERED',
        now,
      );
      await notify.toContact(
        inquiry.buyerId,
        (t: Translate) => ({
          text: [
            t('catalogue:inquiry.notify.answer', {
              cooperative: inquiry.cooperative.name,
              product: inquiry.product?.name ?? t('catalogue:inquiry.noProduct'),
            }),
            t('catalogue:inquiry.notify.text', { text: read.text }),
            t('catalogue:inquiry.notify.howToFollow'),
          ].join('\n'),
        }),
        { kind: 'inquiry-answer', dedupeKey: `inquiry:${inquiryId}:message:${message.id}` },
      );
      return { ok: true, inquiry };
    },

    /** A member closes an inquiry of her cooperative; the buyer is told once. */
    async close(
      contactId: string,
      inquiryId: string,
      channel: string,
      now = deps.clock(),
    ): Promise<InquiryOutcome> {
      const thread = await ofMember(contactId, inquiryId);
      if (!thread) return { ok: false, error: 'not_found' };
      if (thread.status === 'CLOSED') return { ok: false, error: 'closed' };
      const inquiry = await db.buyerInquiry.update({
        where: { id: inquiryId },
        data: { status: 'CLOSED', updatedAt: now },
      });
      const actor: AuditActor = contactActor(contactId, channel);
      await audit.record({
        actor,
        action: 'inquiry.close',
        targetType: 'inquiry',
        targetId: inquiryId,
        at: now,
      });
      await notify.toContact(
        thread.buyerId,
        (t: Translate) => ({
          text: t('catalogue:inquiry.notify.closed', {
            cooperative: thread.cooperative.name,
            product: thread.product?.name ?? t('catalogue:inquiry.noProduct'),
          }),
        }),
        { kind: 'inquiry-closed', dedupeKey: `inquiry:${inquiryId}:closed` },
      );
      return { ok: true, inquiry };
    },

    /** Whether she ever asked a cooperative something ("my questions" shows then). */
    hasInquiries: async (buyerId: string) => (await db.buyerInquiry.count({ where: { buyerId } })) > 0,

    /** Her questions, latest activity first. */
    ofBuyer: (buyerId: string, window: PageWindow = {}) => page({ buyerId }, window),

    /** One of her questions with its thread, or null. */
    buyerThread: ofBuyer,

    /** Whether she answers buyers for a cooperative: an active member of an approved one. */
    answersBuyers: async (contactId: string) => (await products.postingCooperative(contactId)) !== null,

    /** The inquiries of her cooperative that are not closed, latest activity first. */
    async openForMember(contactId: string, window: PageWindow = {}) {
      const cooperative = await products.postingCooperative(contactId);
      // No cooperative to answer for: a where that matches nothing keeps one return type.
      return page({ cooperativeId: cooperative?.id ?? '', status: { not: 'CLOSED' } }, window);
    },

    /** One inquiry of her cooperative with its thread, or null. */
    memberThread: ofMember,
  };
}

export type InquiryService = ReturnType<typeof createInquiryService>;
