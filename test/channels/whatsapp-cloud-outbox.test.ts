import { describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../src/core/message.js';
import { createServices } from '../../src/services/index.js';
import { useCleanups } from '../support/cleanups.js';
import { PHOTOS } from '../support/photos.js';
import { testServiceDeps } from '../support/service-deps.js';
import { eventually } from '../support/telegram-app.js';
import { startWhatsAppCloudApp } from '../support/whatsapp-cloud-app.js';

const cleanups = useCleanups();
const AMAL = '970599111222';
const HIBA = '970569333444';
const DAY = 24 * 3_600_000;

/** The app, and people who wrote to it (so each has a contact and an open 24-hour window). */
async function started(env: Record<string, string> = {}, people = [AMAL]) {
  const started = await startWhatsAppCloudApp(env);
  cleanups.push(started.cleanup);
  const { fake, prisma, app } = started;
  for (const waId of people) {
    await fake.sendText(waId, 'مرحبا');
    await fake.waitForMessages(waId, 1);
  }
  const services = createServices(prisma, testServiceDeps());
  /** Queues a notice to `waId` (who wrote before) through the outbox, wakes the dispatcher, returns its row's id. */
  async function notify(waId: string, message: OutboundMessage) {
    const { contactId } = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: waId } });
    await services.notify.toContact(contactId, () => message, { kind: 'notice' });
    app.taawun.dispatcher.kick();
    const row = await prisma.outboxMessage.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    return row.id;
  }
  /** The row once its status is `status`. */
  const rowWhen = (id: string, status: string) =>
    eventually(() =>
      prisma.outboxMessage
        .findUniqueOrThrow({ where: { id } })
        .then((row) => (row.status === status ? row : undefined)),
    );
  const lastWroteAt = (waId: string, at: Date) =>
    prisma.contactChannel.updateMany({ where: { externalId: waId }, data: { lastInboundAt: at } });
  return { ...started, notify, rowWhen, lastWroteAt };
}

describe('the outbox on WhatsApp Cloud', () => {
  it('sends a notice inside her window; statuses record delivered, read and a failure', async () => {
    // Two notices to one person: by default the second would wait Meta's 6 s between messages to a pair.
    const { fake, prisma, notify, rowWhen } = await started({
      WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: '10',
    });
    const id = await notify(AMAL, { text: 'وصل ردّ المنسّقة' });
    const [, sent] = await fake.waitForMessages(AMAL, 2);
    expect(sent?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: AMAL,
      type: 'text',
      text: { body: 'وصل ردّ المنسّقة', preview_url: false },
    });
    const row = await rowWhen(id, 'SENT');
    expect(row.providerMessageId).toBe(sent?.wamid);

    const wamid = sent?.wamid ?? '';
    expect(await fake.status(wamid, 'delivered')).toBe(200);
    const delivered = await prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(delivered).toMatchObject({ status: 'SENT', deliveryStatus: 'delivered', readAt: null });
    expect(delivered.deliveredAt).toBeInstanceOf(Date);
    expect(await fake.status(wamid, 'read')).toBe(200);
    // Statuses may come out of order: a late "sent" or "delivered" does not undo "read".
    expect(await fake.status(wamid, 'sent')).toBe(200);
    expect(await fake.status(wamid, 'delivered')).toBe(200);
    const read = await prisma.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(read).toMatchObject({
      status: 'SENT',
      deliveryStatus: 'read',
      deliveredAt: delivered.deliveredAt,
    });
    expect(read.readAt).toBeInstanceOf(Date);

    const second = await notify(AMAL, { text: 'تذكير بالاجتماع' });
    const failed = await rowWhen(second, 'SENT');
    await fake.status(failed.providerMessageId ?? '', 'failed', [
      { code: 131026, title: 'Message undeliverable', details: 'The recipient is not on WhatsApp' },
    ]);
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id: second } })).toMatchObject({
      status: 'SENT',
      deliveryStatus: 'failed',
      lastError: '131026 Message undeliverable: The recipient is not on WhatsApp',
    });
    // Not on WhatsApp: her address is unreachable, as a Telegram chat that blocked the bot…
    const address = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: AMAL } });
    expect(address).toMatchObject({ unreachable: true });
    expect(address.unreachableAt).toBeInstanceOf(Date);
    // …until she writes again.
    await fake.sendText(AMAL, 'عدت');
    await fake.waitForMessages(AMAL, 4);
    expect(await prisma.contactChannel.findFirstOrThrow({ where: { externalId: AMAL } })).toMatchObject({
      unreachable: false,
      unreachableAt: null,
    });
  });

  it('sends again by template when WhatsApp reports later that her window had closed (131047)', async () => {
    const { fake, prisma, notify, rowWhen } = await started({
      WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update',
      WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: '10',
    });
    const id = await notify(AMAL, { text: 'تذكير بالاجتماع', choices: [{ id: 'ok', label: 'حسنًا' }] });
    const first = await rowWhen(id, 'SENT');
    expect(
      await fake.status(first.providerMessageId ?? '', 'failed', [
        { code: 131047, title: 'Re-engagement message' },
      ]),
    ).toBe(200);
    const [, , template] = await fake.waitForMessages(AMAL, 3);
    expect(template?.body).toMatchObject({
      type: 'template',
      template: { name: 'taawun_update', components: [{ parameters: [{ text: 'تذكير بالاجتماع' }] }] },
    });
    const resent = await eventually(() =>
      prisma.outboxMessage
        .findUniqueOrThrow({ where: { id } })
        .then((row) => (row.providerMessageId === template?.wamid ? row : undefined)),
    );
    expect(resent).toMatchObject({ status: 'SENT', deliveryStatus: null, attempts: 0 });
    expect(resent.payload).toMatchObject({ viaTemplate: true });
    // The template's own statuses are recorded; a repeat of the old failure changes nothing.
    await fake.status(template?.wamid ?? '', 'delivered');
    await fake.status(first.providerMessageId ?? '', 'failed', [
      { code: 131047, title: 'Re-engagement message' },
    ]);
    expect(await prisma.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'SENT',
      deliveryStatus: 'delivered',
    });
    expect(fake.messagesTo(AMAL)).toHaveLength(3);
  });

  it('skips it when WhatsApp reports later that her window had closed and there is no template', async () => {
    const { fake, notify, rowWhen } = await started();
    const id = await notify(AMAL, { text: 'تذكير بالاجتماع' });
    const sent = await rowWhen(id, 'SENT');
    await fake.status(sent.providerMessageId ?? '', 'failed', [
      { code: 131047, title: 'Re-engagement message' },
    ]);
    expect(await rowWhen(id, 'SKIPPED')).toMatchObject({ lastError: 'outside_window' });
  });

  it('counts her window from when she wrote, not from when WhatsApp delivered it', async () => {
    const { fake, prisma, notify, rowWhen } = await started();
    const wrote = new Date(Date.now() - DAY - 3_600_000);
    const { payload } = fake.incoming(AMAL, {
      type: 'text',
      text: { body: 'رسالة متأخرة' },
      timestamp: String(Math.floor(wrote.getTime() / 1000)),
    });
    // A fresher message already counted: the late one does not move her window back.
    expect(await fake.deliver(payload)).toBe(200);
    await fake.waitForMessages(AMAL, 2);
    const address = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: AMAL } });
    expect(address.lastInboundAt?.getTime()).toBeGreaterThan(wrote.getTime());

    const HIBA_LATE = '970569000111';
    const late = fake.incoming(HIBA_LATE, {
      type: 'text',
      text: { body: 'مرحبا' },
      timestamp: String(Math.floor(wrote.getTime() / 1000)),
    });
    expect(await fake.deliver(late.payload)).toBe(200);
    await fake.waitForMessages(HIBA_LATE, 1);
    const hiba = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: HIBA_LATE } });
    expect(hiba.lastInboundAt).toEqual(new Date(Math.floor(wrote.getTime() / 1000) * 1000));
    // Her window closed an hour ago: without a template, a notice is skipped.
    expect(await rowWhen(await notify(HIBA_LATE, { text: 'خبر' }), 'SKIPPED')).toMatchObject({
      lastError: 'outside_window',
    });
  });

  it('skips a notice to someone who last wrote more than 24 hours ago when no template is set', async () => {
    const { fake, notify, rowWhen, lastWroteAt } = await started();
    await lastWroteAt(AMAL, new Date(Date.now() - DAY - 60_000));
    const id = await notify(AMAL, { text: 'دعوة إلى ورشة عمل' });
    expect(await rowWhen(id, 'SKIPPED')).toMatchObject({ lastError: 'outside_window', attempts: 0 });
    expect(fake.messagesTo(AMAL)).toHaveLength(1);
  });

  it('sends it through the approved template outside the window, the text in its one parameter', async () => {
    const { fake, notify, rowWhen, lastWroteAt } = await started({
      WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update',
    });
    await lastWroteAt(AMAL, new Date(Date.now() - 2 * DAY));
    const id = await notify(AMAL, {
      text: 'دعوة إلى ورشة عمل\n\nالخميس في بيت حانون',
      choices: [{ id: 'yes', label: 'سأحضر' }],
    });
    const [, sent] = await fake.waitForMessages(AMAL, 2);
    expect(sent?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'taawun_update',
        language: { code: 'ar' },
        components: [
          { type: 'body', parameters: [{ type: 'text', text: 'دعوة إلى ورشة عمل · الخميس في بيت حانون' }] },
        ],
      },
    });
    expect((await rowWhen(id, 'SENT')).providerMessageId).toBe(sent?.wamid);
  });

  it('falls back to the template when WhatsApp answers 131047 (outside the window)', async () => {
    const { fake, notify, rowWhen } = await started({ WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update' });
    fake.failNext('messages', 1, { status: 400, code: 131047, message: 'Re-engagement message' });
    const id = await notify(AMAL, { text: 'تذكير بالاجتماع' });
    const [, template] = await fake.waitForMessages(AMAL, 2);
    expect(template?.body.type).toBe('template');
    expect((await rowWhen(id, 'SENT')).providerMessageId).toBe(template?.wamid);
  });

  it('pauses the channel on 130429 without costing the row an attempt', async () => {
    const { fake, prisma, notify } = await started();
    fake.failNext('messages', 1, { status: 400, code: 130429, message: 'Rate limit hit' });
    const before = Date.now();
    const id = await notify(AMAL, { text: 'خبر من الائتلاف' });
    const state = await eventually(() =>
      prisma.channelState.findUnique({ where: { channel: 'whatsapp-cloud' } }).then((s) => s ?? undefined),
    );
    expect(state.reason).toBe('rate-limited');
    expect(state.pausedUntil?.getTime()).toBeGreaterThanOrEqual(before + 30_000);
    expect(state.pausedUntil?.getTime()).toBeLessThanOrEqual(Date.now() + 30_000);
    const row = await eventually(() =>
      prisma.outboxMessage
        .findUniqueOrThrow({ where: { id } })
        .then((r) => (r.status === 'PENDING' && r.lastError ? r : undefined)),
    );
    expect(row.attempts).toBe(0);
    expect(row.lastError).toContain('130429');
    expect(fake.messagesTo(AMAL)).toHaveLength(1);
  });

  it('gives up on a message WhatsApp cannot deliver (131026), her address unreachable', async () => {
    const { fake, prisma, notify, rowWhen } = await started();
    fake.failNext('messages', 1, { status: 400, code: 131026, message: 'Message undeliverable' });
    const id = await notify(AMAL, { text: 'خبر من الائتلاف' });
    expect((await rowWhen(id, 'FAILED')).lastError).toContain('131026');
    expect(await prisma.contactChannel.findFirstOrThrow({ where: { externalId: AMAL } })).toMatchObject({
      unreachable: true,
    });
  });

  it('holds up only her row on 131056 (too many to one person): no pause, no attempt', async () => {
    const { fake, prisma, notify } = await started({}, [AMAL, HIBA]);
    fake.failNext('messages', 1, { status: 400, code: 131056, message: 'Pair rate limit hit' });
    const before = Date.now();
    const id = await notify(AMAL, { text: 'خبر من الائتلاف' });
    const row = await eventually(() =>
      prisma.outboxMessage
        .findUniqueOrThrow({ where: { id } })
        .then((r) => (r.status === 'PENDING' && r.lastError ? r : undefined)),
    );
    expect(row.attempts).toBe(0);
    expect(row.notBefore.getTime()).toBeGreaterThanOrEqual(before + 60_000);
    expect(await prisma.channelState.findUnique({ where: { channel: 'whatsapp-cloud' } })).toBeNull();
    // Others are still written to.
    await notify(HIBA, { text: 'خبر من الائتلاف' });
    await fake.waitForMessages(HIBA, 2);
  });

  it('pauses the channel for 10 minutes when WhatsApp refuses our account (131042 payment)', async () => {
    const { fake, prisma, notify } = await started();
    fake.failNext('messages', 1, {
      status: 400,
      code: 131042,
      message: 'Business eligibility payment issue',
    });
    const before = Date.now();
    const id = await notify(AMAL, { text: 'خبر من الائتلاف' });
    const state = await eventually(() =>
      prisma.channelState.findUnique({ where: { channel: 'whatsapp-cloud' } }).then((s) => s ?? undefined),
    );
    expect(state.reason).toBe('account');
    expect(state.pausedUntil?.getTime()).toBeGreaterThanOrEqual(before + 600_000);
    expect(state.pausedUntil?.getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
    const row = await eventually(() =>
      prisma.outboxMessage
        .findUniqueOrThrow({ where: { id } })
        .then((r) => (r.status === 'PENDING' && r.lastError ? r : undefined)),
    );
    expect(row).toMatchObject({ attempts: 0 });
    expect(row.lastError).toContain('131042');
  });

  it('resumes a photo, text and question that failed half-way after the parts that went', async () => {
    const { fake, app, notify, rowWhen } = await started({ WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: '10' });
    const stored = await app.taawun.media.put(PHOTOS.jpeg);
    if (!stored.ok) throw new Error('the fixture photo was refused');
    const text = `${'منتج جديد من تعاونية بيت لاهيا. '.repeat(40)}\nهل تريدين رؤيته؟`;
    // The photo goes; the text fails with a Graph hiccup.
    fake.failNext('messages', 1, { status: 500, code: 131000, message: 'Something went wrong' }, 1);
    const id = await notify(AMAL, {
      text,
      photo: { kind: 'stored', mediaId: stored.media.id },
      choices: [{ id: 'yes', label: 'نعم' }],
    });
    const sent = await rowWhen(id, 'SENT');
    const [, ...parts] = fake.messagesTo(AMAL);
    expect(parts.map((m) => m.body.type)).toEqual(['image', 'text', 'interactive']);
    expect(sent.attempts).toBe(1);
    expect(sent.payload).toMatchObject({ partsSent: 1 });
    expect(sent.providerMessageId).toBe(parts.at(-1)?.wamid);
  });

  it('retries a notice whose photo could not be uploaded, rather than sending it without', async () => {
    const { fake, app, notify, rowWhen } = await started({ WHATSAPP_CLOUD_RATE_PER_CHAT_PER_SECOND: '10' });
    const stored = await app.taawun.media.put(PHOTOS.jpeg);
    if (!stored.ok) throw new Error('the fixture photo was refused');
    fake.failNext('upload', 1, { status: 500, code: 131000, message: 'Something went wrong' });
    const id = await notify(AMAL, { text: 'منتج جديد', photo: { kind: 'stored', mediaId: stored.media.id } });
    expect(await rowWhen(id, 'SENT')).toMatchObject({ attempts: 1 });
    expect(fake.messagesTo(AMAL).map((m) => m.body.type)).toEqual(['interactive', 'image']);
  });

  it('records a status that arrives before the row knows its wamid', async () => {
    const { fake, prisma, app } = await started();
    const cloud = app.taawun.whatsappCloud;
    if (!cloud) throw new Error('whatsapp cloud is off');
    const wamid = (await cloud.send(AMAL, { text: 'خبر' })) ?? '';
    // A wamid we did not send is not waited for.
    await fake.status('wamid.someone-else', 'delivered');
    await fake.status(wamid, 'delivered');
    const address = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: AMAL } });
    const row = (providerMessageId: string) =>
      prisma.outboxMessage.create({
        data: {
          kind: 'notice',
          channel: 'whatsapp-cloud',
          contactChannelId: address.id,
          payload: { text: 'خبر' },
          status: 'SENT',
          providerMessageId,
        },
      });
    // The dispatcher writes the wamid only now.
    const foreign = await row('wamid.someone-else');
    const ours = await row(wamid);
    await eventually(() =>
      prisma.outboxMessage
        .findUniqueOrThrow({ where: { id: ours.id } })
        .then((r) => (r.deliveryStatus === 'delivered' ? r : undefined)),
    );
    expect(
      (await prisma.outboxMessage.findUniqueOrThrow({ where: { id: foreign.id } })).deliveryStatus,
    ).toBeNull();
  });

  it('sends English speakers the English template outside the window', async () => {
    const { fake, prisma, notify, lastWroteAt } = await started(
      { WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update', WHATSAPP_CLOUD_TEMPLATE_LANGUAGE_EN: 'en' },
      [AMAL, HIBA],
    );
    const amal = await prisma.contactChannel.findFirstOrThrow({ where: { externalId: AMAL } });
    await prisma.contact.update({ where: { id: amal.contactId }, data: { locale: 'en' } });
    for (const waId of [AMAL, HIBA]) await lastWroteAt(waId, new Date(Date.now() - 2 * DAY));
    await notify(AMAL, { text: 'Workshop on Thursday' });
    await notify(HIBA, { text: 'ورشة عمل الخميس' });
    const [, english] = await fake.waitForMessages(AMAL, 2);
    const [, arabic] = await fake.waitForMessages(HIBA, 2);
    expect(english?.body).toMatchObject({ template: { name: 'taawun_update', language: { code: 'en' } } });
    expect(arabic?.body).toMatchObject({ template: { name: 'taawun_update', language: { code: 'ar' } } });
  });

  it('uploads a stored photo once and sends its media id to everyone, the text as caption', async () => {
    const { fake, prisma, app, notify, rowWhen } = await started({}, [AMAL, HIBA]);
    const stored = await app.taawun.media.put(PHOTOS.jpeg);
    if (!stored.ok) throw new Error('the fixture photo was refused');
    const photo = { kind: 'stored', mediaId: stored.media.id } as const;
    await rowWhen(await notify(AMAL, { text: 'منتج جديد: صابون زيت الزيتون', photo }), 'SENT');
    await rowWhen(await notify(HIBA, { text: 'منتج جديد: صابون زيت الزيتون', photo }), 'SENT');

    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]?.mime).toBe('image/jpeg');
    expect(fake.uploads[0]?.bytes.equals(PHOTOS.jpeg)).toBe(true);
    const mediaId = fake.uploads[0]?.id;
    for (const waId of [AMAL, HIBA]) {
      expect(fake.lastMessageTo(waId)?.body).toMatchObject({
        type: 'image',
        image: { id: mediaId, caption: 'منتج جديد: صابون زيت الزيتون' },
      });
    }
    const kept = await prisma.mediaChannelFile.findFirstOrThrow();
    expect(kept).toMatchObject({ mediaId: stored.media.id, channel: 'whatsapp-cloud', fileId: mediaId });
  });
});
