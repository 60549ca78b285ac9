import { z } from 'zod';
import type { Locale } from '../core/flow.js';
import type { OutboundMessage } from '../core/message.js';
import { formatDateTime } from '../i18n/format.js';
import type { Translate } from '../i18n/i18n.js';
import type { Audience } from './broadcast-audience.js';
import { governorateName } from './cooperative-messages.js';

/** Longest broadcast text: room for the unsubscribe line within one Telegram or WhatsApp message. */
export const BROADCAST_TEXT_MAX = 3500;
/** How much of a broadcast's text its progress message and report quote. */
const EXCERPT_MAX = 40;

/** A broadcast's words per language, as stored in `Broadcast.text`: Arabic always, English optionally. */
export const broadcastTextSchema = z.object({
  ar: z.string().trim().min(1).max(BROADCAST_TEXT_MAX),
  en: z.string().trim().min(1).max(BROADCAST_TEXT_MAX).optional(),
});
export type BroadcastText = z.infer<typeof broadcastTextSchema>;

/** Why words cannot be a broadcast's text; each has its words in `broadcasts:errors.*`. */
export type BroadcastTextError = 'textMissing' | 'tooLong';

/** Words a coordinator wrote for a broadcast, trimmed, checked against `broadcastTextSchema`'s rule. */
export function readBroadcastText(
  text: string,
): { ok: true; text: string } | { ok: false; error: BroadcastTextError } {
  const parsed = broadcastTextSchema.shape.ar.safeParse(text);
  if (parsed.success) return { ok: true, text: parsed.data };
  return { ok: false, error: parsed.error.issues[0]?.code === 'too_big' ? 'tooLong' : 'textMissing' };
}

/** The stored text; a row written by hand without Arabic reads as empty rather than failing. */
export function readText(json: unknown): BroadcastText {
  const parsed = broadcastTextSchema.safeParse(json);
  return parsed.success ? parsed.data : { ar: '' };
}

/** Counts of a broadcast's outbox rows; `pending` includes rows in flight, `web` the pending web ones. */
export interface BroadcastCounts {
  pending: number;
  sent: number;
  failed: number;
  skipped: number;
  total: number;
  /** Waiting for a web chat page to be opened again (the page pulls its messages). */
  web: number;
}

/** The start of a text on one line, to name a broadcast in progress messages. */
export function excerpt(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > EXCERPT_MAX ? `${line.slice(0, EXCERPT_MAX - 1)}…` : line;
}

/** Who a broadcast goes to, in words; `cooperativeName` names a cooperative audience. */
export function describeAudience(
  t: Translate,
  locale: Locale,
  audience: Audience,
  cooperativeName?: string,
): string {
  if (audience.kind === 'governorates') {
    const names = audience.slugs.map((slug) => governorateName(slug, locale));
    return t('broadcasts:audience.inGovernorates', { names: new Intl.ListFormat(locale).format(names) });
  }
  if (audience.kind === 'cooperative')
    return t('broadcasts:audience.ofCooperative', { name: cooperativeName ?? '' });
  return t(`broadcasts:audience.${audience.kind}`);
}

/**
 * What one recipient reads: the text in her language when the coordinator wrote it, else Arabic;
 * subscribers are reminded how to stop the news (coordinators get theirs regardless).
 */
export function recipientMessage(
  translator: (locale: Locale) => Translate,
  text: BroadcastText,
  contactLocale: string,
  audience: Audience,
  mediaId: string | null,
): OutboundMessage {
  const locale: Locale = contactLocale === 'en' && text.en ? 'en' : 'ar';
  const body = locale === 'en' && text.en ? text.en : text.ar;
  const footer = audience.kind === 'coordinators' ? [] : [translator(locale)('broadcasts:message.footer')];
  return {
    text: [body, ...footer].join('\n\n'),
    locale,
    ...(mediaId ? { photo: { kind: 'stored' as const, mediaId } } : {}),
  };
}

/** "sent 120 · not sent 2 · waiting 878", with the web chat's share of the waiting when it has one. */
export function countsLine(t: Translate, counts: BroadcastCounts): string {
  const line = t('broadcasts:progress.counts', {
    sent: counts.sent,
    failed: counts.failed + counts.skipped,
    waiting: counts.pending,
  });
  return counts.web > 0 ? `${line}\n${t('broadcasts:progress.web', { count: counts.web })}` : line;
}

/** The progress message in the coordinators' chat, edited as the counts change. */
export function progressText(
  t: Translate,
  locale: Locale,
  view: { text: BroadcastText; counts: BroadcastCounts; scheduledAt: Date | null; done: boolean },
  now: Date,
): string {
  const waitingForTime = view.scheduledAt && view.scheduledAt > now && view.counts.sent === 0;
  return [
    t('broadcasts:progress.title', { excerpt: excerpt(view.text.ar) }),
    ...(waitingForTime && view.scheduledAt
      ? [t('broadcasts:progress.scheduled', { at: formatDateTime(view.scheduledAt, locale) })]
      : []),
    countsLine(t, view.counts),
    ...(view.done ? [t('broadcasts:progress.done')] : []),
  ].join('\n');
}

/** The final report posted once a broadcast has nothing left to send. */
export function reportText(t: Translate, view: { text: BroadcastText; counts: BroadcastCounts }): string {
  return [
    t('broadcasts:report.title', { excerpt: excerpt(view.text.ar) }),
    t('broadcasts:report.reached', { count: view.counts.total, sent: view.counts.sent }),
    countsLine(t, view.counts),
  ].join('\n');
}
