import { setTimeout as delay } from 'node:timers/promises';
import type { InboundMessage } from '../../core/message.js';
import type { WhatsAppWebClient, WhatsAppWebMessage } from './client.js';
import { phoneOf } from './translate.js';

/**
 * How long a message waits for what the browser tells of its sender (her profile name, the phone
 * behind a privacy id) before it goes on without it: a stuck page must not hold her messages back.
 */
export const SENDER_LOOKUP_MS = 2_000;
/** Privacy ids whose phone chat is known; the oldest are forgotten. */
const REMEMBERED_IDS = 5_000;

/**
 * Completes a translated message with what the browser knows of its sender: her profile name, and
 * for a privacy id (`…@lid`) the phone chat behind it, when WhatsApp tells it: she is then keyed by
 * `<number>@c.us` with her number, as when she writes from a chat that shows it, so one person does
 * not become two contacts. Without an answer in time the message goes on as it came.
 */
export function createSenderLookup(client: () => WhatsAppWebClient | undefined, waitMs = SENDER_LOOKUP_MS) {
  const phoneChats = new Map<string, string>();

  async function phoneChatOf(lid: string): Promise<string | undefined> {
    const known = phoneChats.get(lid);
    if (known) return known;
    const [found] = (await client()?.getContactLidAndPhone([lid])) ?? [];
    const chat = found?.pn;
    if (!chat || !phoneOf(chat)) return undefined;
    phoneChats.set(lid, chat);
    if (phoneChats.size > REMEMBERED_IDS) phoneChats.delete(phoneChats.keys().next().value as string);
    return chat;
  }

  return async function complete(raw: WhatsAppWebMessage, msg: InboundMessage): Promise<InboundMessage> {
    const late = delay(waitMs, undefined, { ref: false });
    const within = <T>(answer: Promise<T>) => Promise.race([answer.catch(() => undefined), late]);
    const [name, phoneChat] = await Promise.all([
      within(raw.getContact().then((contact) => contact.pushname || undefined)),
      raw.from.endsWith('@lid') ? within(phoneChatOf(raw.from)) : undefined,
    ]);
    const phone = phoneChat ? phoneOf(phoneChat) : undefined;
    return {
      ...msg,
      ...(phoneChat && phone ? { externalUserId: phoneChat } : {}),
      profile: { ...msg.profile, ...(phone ? { phone } : {}), ...(name ? { name } : {}) },
    };
  };
}
