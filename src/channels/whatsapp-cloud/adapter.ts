import type { Logger } from 'pino';
import type { WhatsAppCloudConfig } from '../../config.js';
import type { Locale } from '../../core/flow.js';
import type { OutboundMessage } from '../../core/message.js';
import type { MessageRouter, ReplySink } from '../../core/router.js';
import type { Db } from '../../db/client.js';
import type { SendProgress } from '../../dispatch/errors.js';
import type { MediaStore } from '../../media/types.js';
import { createGraphClient, GraphError, UNDELIVERABLE_CODES } from './client.js';
import { recordDelivery } from './delivery-status.js';
import { createGraphMediaFetcher, createImageUploader } from './media.js';
import { recentIds } from './recent-ids.js';
import { choicesMessage, type Paging, type RenderLabels, renderMessage } from './render.js';
import { type DeliveryReport, translateWebhook, type WebhookEvent } from './translate.js';
import { createWebhookRoutes } from './webhook.js';
import { templateMessage, type WindowTemplate } from './window.js';

export interface WhatsAppCloudAdapterDeps {
  router: MessageRouter;
  /** Statuses update the outbox rows they report on. */
  prisma: Db;
  logger: Logger;
  /** Per language: the renderer's words and the answer to a "more" row of a list we no longer know. */
  labels: Record<Locale, RenderLabels & { staleButton: string }>;
  /** Where stored photos come from; without it a message's photo is left out (its text still goes). */
  media?: MediaStore;
  clock?: () => Date;
}

/** How many paginated lists are remembered (the latest per person); older "more" rows answer "stale". */
const PAGED_LISTS = 1_000;
/**
 * A status can overtake the dispatcher's write of the wamid it is about: one for a wamid we sent in
 * the last minute that matches no row yet is tried again 2 s later, twice at most.
 */
const OWN_WAMID_MS = 60_000;
const STATUS_RETRY_MS = 2_000;
const STATUS_RETRIES = 2;
/** WhatsApp may deliver a webhook call again: a "more" press seen within 15 minutes turns no page. */
const SEEN_PRESS_MS = 15 * 60_000;
const REMEMBERED_IDS = 5_000;

const describe = (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) });

/**
 * The WhatsApp Cloud API channel: a signed webhook brings messages (stored in the inbox, then
 * handled) and statuses (recorded on the outbox); replies and outbox messages are rendered within
 * WhatsApp's limits and posted to Graph. List pages past the first are sent from here, as Telegram's
 * adapter turns its keyboard pages, without a round trip through the engine.
 */
export function createWhatsAppCloudAdapter(config: WhatsAppCloudConfig, deps: WhatsAppCloudAdapterDeps) {
  const { router, labels } = deps;
  const logger = deps.logger.child({ channel: 'whatsapp-cloud' });
  const clock = deps.clock ?? (() => new Date());
  const client = createGraphClient(config);
  const imageId = createImageUploader(client, deps.media, clock);
  const paged = new Map<string, Paging & { locale: Locale }>();
  const ownWamids = recentIds(OWN_WAMID_MS, REMEMBERED_IDS, clock);
  const seenPresses = recentIds(SEEN_PRESS_MS, REMEMBERED_IDS, clock);

  function remember(waId: string, paging: Paging & { locale: Locale }) {
    paged.delete(waId);
    paged.set(waId, paging);
    if (paged.size > PAGED_LISTS) paged.delete(paged.keys().next().value as string);
  }

  /** Sends the parts of one message (photo, text parts, choices) from `from` on; resolves with the last wamid. */
  async function sendParts(
    to: string,
    message: OutboundMessage,
    image: string | null,
    { from = 0, sent }: SendProgress = {},
  ): Promise<string | undefined> {
    const locale = message.locale ?? 'ar';
    if (message.photo && !image)
      logger.warn({ media: message.photo.kind }, 'photo cannot be sent on whatsapp; sent its text');
    const { parts, paging } = renderMessage(message, labels[locale], image ?? undefined);
    let last: string | undefined;
    for (const [i, part] of parts.entries()) {
      if (i < from) continue;
      last = await client.sendMessage(to, part);
      sent?.(i + 1);
    }
    // A newer question makes the "more" row of an older list stale.
    if (paging) remember(to, { ...paging, locale });
    else if (message.choices?.length) paged.delete(to);
    return last;
  }

  /** An outbox message: a photo that cannot be uploaded fails the send, so that the row is retried. */
  async function send(to: string, message: OutboundMessage, progress?: SendProgress) {
    const image = message.photo ? await imageId(message.photo) : null;
    const wamid = await sendParts(to, message, image, progress);
    if (wamid) ownWamids.add(wamid);
    return wamid;
  }

  /** A direct reply: a photo that cannot be uploaded now is left out rather than the whole reply. */
  async function reply(to: string, message: OutboundMessage) {
    const image = message.photo
      ? await imageId(message.photo).catch((err) => {
          logger.warn(describe(err), 'uploading a photo failed; its text sent without it');
          return null;
        })
      : null;
    await sendParts(to, message, image);
  }

  async function sendTemplate(to: string, template: WindowTemplate, text: string): Promise<string> {
    const wamid = await client.sendMessage(to, templateMessage(template, text));
    ownWamids.add(wamid);
    return wamid;
  }

  /** Records a status; one about a wamid of ours no row carries yet is tried again shortly. */
  async function recordStatus(report: DeliveryReport, retries = STATUS_RETRIES): Promise<void> {
    const known = await recordDelivery(deps.prisma, 'whatsapp-cloud', report, config.templates);
    if (known || retries === 0 || !ownWamids.has(report.providerMessageId)) return;
    setTimeout(() => {
      recordStatus(report, retries - 1).catch((err) =>
        logger.warn(describe(err), 'recording a status failed'),
      );
    }, STATUS_RETRY_MS).unref();
  }

  /** Sends the next page of her latest list, or says the list is old. */
  async function turnPage({ waId, page, token }: Extract<WebhookEvent, { kind: 'page' }>) {
    const paging = paged.get(waId);
    const words = labels[paging?.locale ?? 'ar'];
    if (!paging || paging.token !== token) {
      await client.sendMessage(waId, { type: 'text', text: { body: words.staleButton, preview_url: false } });
      return;
    }
    await client.sendMessage(
      waId,
      choicesMessage(words.moreChoices, paging.choices, paging.token, words, page),
    );
  }

  async function ingest(payload: unknown): Promise<void> {
    for (const event of translateWebhook(payload, config.phoneNumberId, clock())) {
      if (event.kind === 'message') {
        const acceptance = await router.accept(event.message);
        logger.debug({ duplicate: acceptance.duplicate }, 'whatsapp message stored');
      } else if (event.kind === 'status') {
        await recordStatus(event.report);
      } else if (seenPresses.addNew(event.messageId)) {
        turnPage(event).catch((err) => logger.warn(describe(err), 'sending a list page failed'));
      }
    }
  }

  /** Where the router delivers replies; a person WhatsApp cannot deliver to is logged, not our failure. */
  const sink: ReplySink = {
    async deliver(waId, messages) {
      try {
        for (const message of messages) await reply(waId, message);
      } catch (err) {
        if (!(err instanceof GraphError && UNDELIVERABLE_CODES.has(err.errorCode ?? 0))) throw err;
        logger.warn(describe(err), 'whatsapp user cannot be reached');
      }
    },
  };
  router.attach('whatsapp-cloud', sink);

  return {
    sink,
    /**
     * Sends an outbox message to a wa_id, from part `progress.from` on; resolves with the wamid of its
     * last part. Errors are GraphError (or the upload's); `progress.sent` tells how far it got.
     */
    send,
    /** Sends `text` through an approved template (outside the 24-hour window); resolves with its wamid. */
    sendTemplate,
    /** `GET|POST /whatsapp/webhook`, with their own body parser: mount before any global one. */
    routes: createWebhookRoutes({
      verifyToken: config.verifyToken,
      appSecret: config.appSecret,
      ingest,
      logger,
    }),
    /** Downloads the photos people send (the router stores them before the engine sees them). */
    mediaFetcher: createGraphMediaFetcher(client),
  };
}

export type WhatsAppCloudAdapter = ReturnType<typeof createWhatsAppCloudAdapter>;
