import type { ContactRole } from '../generated/sqlite/client.js';
import { parsePhone } from '../i18n/parse.js';
import { type AuditActor, createAuditService } from './audit.js';
import type { DbClient, PageWindow } from './db.js';

/** Roles that may coordinate: approve, answer, broadcast. An admin can do all a coordinator can. */
const STAFF: ContactRole[] = ['COORDINATOR', 'ADMIN'];

/** The actor of grants made at start from COORDINATOR_TELEGRAM_IDS / COORDINATOR_PHONES. */
export const CONFIG_ACTOR: AuditActor = { label: 'config', channel: 'config' };

/** Who to grant: an existing contact, a Telegram user id or a phone (any form parsePhone reads). */
export interface CoordinatorTarget {
  contactId?: string;
  telegramUserId?: string;
  phone?: string;
}

const withChannels = {
  channels: {
    select: { channel: true, externalId: true },
    orderBy: { createdAt: 'asc' },
  },
} as const;

/**
 * Coordinators: granted from config at start or through the admin API, revoked through it. Grant and
 * revoke are idempotent, and only a change of role writes the audit log (`coordinator.grant` /
 * `coordinator.revoke`). An unknown contact id throws Prisma's P2025 (the admin API answers 404).
 * Wrap calls in a transaction: a grant may create a contact, change its role and write the audit log.
 */
export function createCoordinatorService(db: DbClient) {
  const audit = createAuditService(db);

  /** The contact a target names, created (with nothing but that address) when it does not exist yet. */
  async function findOrCreate(target: CoordinatorTarget): Promise<{ contactId: string; via: string }> {
    if (target.contactId) return { contactId: target.contactId, via: 'contact' };
    if (target.telegramUserId) {
      const externalId = target.telegramUserId;
      const address = await db.contactChannel.upsert({
        where: { channel_externalId: { channel: 'telegram', externalId } },
        update: {},
        create: { channel: 'telegram', externalId, contact: { create: {} } },
      });
      return { contactId: address.contactId, via: 'telegram' };
    }
    if (target.phone) {
      const parsed = parsePhone(target.phone);
      if (!parsed.ok) throw new RangeError('Not a phone number');
      const found = await db.contact.findFirst({
        where: { phone: parsed.value, erasedAt: null },
        orderBy: { createdAt: 'asc' },
      });
      const contact = found ?? (await db.contact.create({ data: { phone: parsed.value } }));
      return { contactId: contact.id, via: 'phone' };
    }
    throw new TypeError('A coordinator grant needs a contactId, a telegramUserId or a phone');
  }

  /** Makes the target a coordinator; `granted` is false when she already was one (or an admin). */
  async function grant(target: CoordinatorTarget, actor: AuditActor, now = new Date()) {
    const { contactId, via } = await findOrCreate(target);
    const { count } = await db.contact.updateMany({
      where: { id: contactId, role: 'USER' },
      data: { role: 'COORDINATOR' },
    });
    if (count > 0) {
      await audit.record({
        actor,
        action: 'coordinator.grant',
        targetType: 'contact',
        targetId: contactId,
        data: { via },
        at: now,
      });
    }
    const coordinator = await db.contact.findUniqueOrThrow({
      where: { id: contactId },
      include: withChannels,
    });
    return { coordinator, granted: count > 0 };
  }

  /** Takes coordination rights away (coordinator or admin → user); `revoked` is false when she had none. */
  async function revoke(contactId: string, actor: AuditActor, now = new Date()) {
    const before = await db.contact.findUniqueOrThrow({ where: { id: contactId }, select: { role: true } });
    const { count } = await db.contact.updateMany({
      where: { id: contactId, role: { in: STAFF } },
      data: { role: 'USER' },
    });
    if (count > 0) {
      await audit.record({
        actor,
        action: 'coordinator.revoke',
        targetType: 'contact',
        targetId: contactId,
        data: { previousRole: before.role },
        at: now,
      });
    }
    const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId }, include: withChannels });
    return { contact, revoked: count > 0 };
  }

  return {
    grant,
    revoke,

    /** True when the contact may coordinate (a coordinator or an admin). */
    async isCoordinator(contactId: string): Promise<boolean> {
      const contact = await db.contact.findUnique({ where: { id: contactId }, select: { role: true } });
      return contact !== null && STAFF.includes(contact.role);
    },

    /** True when this Telegram user's contact may coordinate: checked on every press in the admin chat. */
    async isCoordinatorTelegramUser(telegramUserId: string): Promise<boolean> {
      const address = await db.contactChannel.findUnique({
        where: { channel_externalId: { channel: 'telegram', externalId: telegramUserId } },
        select: { contact: { select: { role: true } } },
      });
      return address !== null && STAFF.includes(address.contact.role);
    },

    /** Coordinators and admins, oldest first, with their channel addresses. */
    async list(window: PageWindow = {}) {
      const where = { role: { in: STAFF } };
      const items = await db.contact.findMany({
        where,
        include: withChannels,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        skip: window.skip,
        take: window.take,
      });
      return { items, total: await db.contact.count({ where }) };
    },

    /**
     * Grants everyone the configuration lists, at every start; returns how many became coordinators
     * now. A revoked coordinator still listed in the configuration is granted again.
     */
    async bootstrap(coordinators: { telegramIds: string[]; phones: string[] }, now: Date): Promise<number> {
      const targets: CoordinatorTarget[] = [
        ...coordinators.telegramIds.map((telegramUserId) => ({ telegramUserId })),
        ...coordinators.phones.map((phone) => ({ phone })),
      ];
      let granted = 0;
      for (const target of targets) {
        if ((await grant(target, CONFIG_ACTOR, now)).granted) granted++;
      }
      return granted;
    },
  };
}

export type CoordinatorService = ReturnType<typeof createCoordinatorService>;
