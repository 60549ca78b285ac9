import type { Channel } from '../core/message.js';
import type { Contact, ContactChannel } from '../generated/sqlite/client.js';
import { skipUnsentNews } from './broadcast-audience.js';
import type { DbClient } from './db.js';

export type Locale = 'ar' | 'en';

/** Everything stored about a person, for "my data". */
export interface ContactRecord {
  contact: Contact;
  channels: Pick<ContactChannel, 'channel' | 'externalId' | 'createdAt'>[];
}

/** People and their channel addresses: creation, consent, language, news subscription, erasure. */
export function createContactService(db: DbClient) {
  return {
    /**
     * Finds the contact behind a channel address, creating one with nothing personal in it.
     * `sentAt`: when her message was written (the channel's timestamp), which opens WhatsApp's 24-hour
     * window; a message handled late never moves it back. Writing to us makes her address reachable again.
     */
    async resolve(channel: Channel, externalId: string, now: Date, sentAt: Date = now) {
      const found = await db.contactChannel.findUnique({
        where: { channel_externalId: { channel, externalId } },
        include: { contact: true },
      });
      if (found) {
        const contact = await db.contact.update({
          where: { id: found.contactId },
          data: { lastSeenAt: now },
        });
        const lastInboundAt =
          found.lastInboundAt && found.lastInboundAt > sentAt ? found.lastInboundAt : sentAt;
        await db.contactChannel.update({
          where: { id: found.id },
          data: { lastInboundAt, ...(found.unreachable ? { unreachable: false, unreachableAt: null } : {}) },
        });
        return { contact, contactChannelId: found.id };
      }
      const contact = await db.contact.create({
        data: { lastSeenAt: now, channels: { create: { channel, externalId, lastInboundAt: sentAt } } },
        include: { channels: true },
      });
      const { channels, ...rest } = contact;
      return { contact: rest as Contact, contactChannelId: channels[0]?.id as string };
    },

    get: (contactId: string) => db.contact.findUniqueOrThrow({ where: { id: contactId } }),

    setLocale: (contactId: string, locale: Locale) =>
      db.contact.update({ where: { id: contactId }, data: { locale } }),

    /** Consent opens storage of personal data; the channel's display name is the first thing kept. */
    giveConsent: (contactId: string, now: Date, displayName?: string) =>
      db.contact.update({
        where: { id: contactId },
        data: { consentAt: now, displayName: displayName?.slice(0, 100) || undefined },
      }),

    /** Her own number, as the channel verified it (Telegram's share-my-phone); coordinators see it. */
    setPhone: (contactId: string, phone: string) =>
      db.contact.update({ where: { id: contactId }, data: { phone } }),

    setPersona: (contactId: string, persona: 'MEMBER' | 'BUYER') =>
      db.contact.update({ where: { id: contactId }, data: { persona } }),

    /** Stopping the news also stops the broadcasts queued for her and not sent yet (same transaction). */
    async setSubscribed(contactId: string, subscribed: boolean, now: Date) {
      const contact = await db.contact.update({
        where: { id: contactId },
        data: subscribed ? { subscribed, subscribedAt: now } : { subscribed, unsubscribedAt: now },
      });
      if (!subscribed) await skipUnsentNews(db, contactId);
      return contact;
    },

    async record(contactId: string): Promise<ContactRecord> {
      const contact = await db.contact.findUniqueOrThrow({ where: { id: contactId } });
      const channels = await db.contactChannel.findMany({
        where: { contactId },
        select: { channel: true, externalId: true, createdAt: true },
        orderBy: { createdAt: 'asc' },
      });
      return { contact, channels };
    },
  };
}

export type ContactService = ReturnType<typeof createContactService>;
