import type { Locale } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import type { Translate } from '../i18n/i18n.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import { type AdminTarget, createOutboxService } from './outbox.js';

/** Builds a message in the recipient's language. */
export type MessageBuilder = (t: Translate, locale: Locale) => OutboundMessage;

export interface NotifyOptions {
  kind: string;
  /** Idempotency: the same key is queued once (e.g. `funding-status:<id>:<status>`). */
  dedupeKey?: string;
  /** Not sent before this (a reminder); not sent at all after `expiresAt` (the event has started). */
  notBefore?: Date;
  expiresAt?: Date;
}

/**
 * Messages that are not replies: to a person on the channel she used last (status changes, answers),
 * and to the coordinators' chat (pending work, with action buttons).
 */
export function createNotifier(db: DbClient, deps: ServiceDeps) {
  const outbox = createOutboxService(db);
  return {
    /** Queues a message to a contact; false when she has no reachable channel (it is not an error). */
    async toContact(contactId: string, build: MessageBuilder, options: NotifyOptions): Promise<boolean> {
      const contact = await db.contact.findUnique({
        where: { id: contactId },
        include: { channels: { where: { unreachable: false }, orderBy: { lastInboundAt: 'desc' }, take: 1 } },
      });
      const channel = contact?.channels[0];
      if (!contact || !channel) return false;
      const locale: Locale = contact.locale === 'en' ? 'en' : 'ar';
      const message = { ...build(deps.i18n.translator(locale), locale), locale };
      await outbox.enqueue({
        kind: options.kind,
        channel: channel.channel,
        contactChannelId: channel.id,
        payload: message,
        dedupeKey: options.dedupeKey,
        notBefore: options.notBefore,
        expiresAt: options.expiresAt,
        priority: 3,
      });
      return true;
    },

    /** Queues a post to the coordinators' chat about `target`; false when no chat is configured. */
    async toCoordinators(
      target: AdminTarget,
      build: MessageBuilder,
      options: NotifyOptions,
    ): Promise<boolean> {
      if (!deps.adminChatId) return false;
      const locale = deps.i18n.defaultLocale;
      const message = { ...build(deps.i18n.translator(locale), locale), locale };
      await outbox.enqueue({
        kind: options.kind,
        channel: 'telegram',
        chatId: deps.adminChatId,
        payload: { ...message, adminTarget: target },
        dedupeKey: options.dedupeKey,
        notBefore: options.notBefore,
        priority: 4,
      });
      return true;
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;
