import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { createWebChannel } from '../../src/channels/web/routes.js';
import { FLOWS } from '../../src/flows/index.js';
import { createMediaStore } from '../../src/media/store.js';
import { createServices } from '../../src/services/index.js';
import { type PageMessage, useTestApp, webPhoto, webSend } from '../support/app.js';
import { useCleanups } from '../support/cleanups.js';
import { seedCooperative } from '../support/cooperatives.js';
import { createEngineHarness } from '../support/engine-harness.js';
import { onboardChatUser } from '../support/onboarding.js';
import { PHOTO_FLOW_ENTRY, PHOTO_PROMPT, photoFlow } from '../support/photo-flow.js';
import { largeJpeg, PDF, PHOTOS } from '../support/photos.js';
import { seedProduct } from '../support/products.js';
import { testServiceDeps } from '../support/service-deps.js';

const texts = (messages: PageMessage[]) => messages.map((m) => m.text);
const ar = testServiceDeps().i18n.translator('ar');

describe('photos in the web chat app', () => {
  const testApp = useTestApp();

  it('stores an uploaded photo, routes it like a message and serves it to her session only', async () => {
    const { baseUrl, taawun } = testApp();
    await webSend(baseUrl, 'session-photo-1', { text: '/start' });
    const reply = await webPhoto(baseUrl, 'session-photo-1', PHOTOS.png);
    expect(reply.status).toBe(200);
    const media = await taawun.database.prisma.media.findFirstOrThrow();
    // Relative, like the page's own requests, and naming the session that may load it.
    expect(reply.photo).toBe(`media/${media.id}?s=session-photo-1`);
    // Onboarding's first step asks for a button; a photo there is answered, not ignored.
    expect(texts(reply.messages)).toContain(ar('onboarding:welcome.text'));

    const res = await fetch(`${baseUrl}/${reply.photo}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await res.arrayBuffer()).equals(PHOTOS.png)).toBe(true);

    // Nobody else sees it: not without a session, not from another session.
    for (const url of [`media/${media.id}`, `media/${media.id}?s=session-photo-other`])
      expect((await fetch(`${baseUrl}/${url}`)).status).toBe(404);
  });

  it("serves a published product's photo and a sent broadcast's photo to anyone", async () => {
    const { baseUrl, taawun } = testApp();
    const prisma = taawun.database.prisma;
    const put = async (bytes: Buffer) => {
      const stored = await taawun.media.put(bytes);
      if (!stored.ok) throw new Error('refused');
      return stored.media.id;
    };
    const status = async (mediaId: string) => (await fetch(`${baseUrl}/media/${mediaId}`)).status;
    const cooperative = await seedCooperative(prisma);
    // Bytes of their own (the store keeps one row per content), so no other test shares them.
    const productPhoto = await put(largeJpeg(4096));
    const product = await seedProduct(prisma, cooperative.id, { status: 'PENDING' });
    await prisma.productMedia.create({ data: { productId: product.id, mediaId: productPhoto } });
    expect(await status(productPhoto)).toBe(404);
    await prisma.product.update({ where: { id: product.id }, data: { status: 'PUBLISHED' } });
    const served = await fetch(`${baseUrl}/media/${productPhoto}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A cooperative no longer approved shows nothing, published or not.
    await prisma.cooperative.update({ where: { id: cooperative.id }, data: { status: 'SUSPENDED' } });
    expect(await status(productPhoto)).toBe(404);

    const newsPhoto = await put(largeJpeg(8192));
    const broadcast = await prisma.broadcast.create({
      data: { text: { ar: 'خبر' }, audience: { kind: 'all' }, mediaId: newsPhoto },
    });
    expect(await status(newsPhoto)).toBe(404);
    await prisma.broadcast.update({ where: { id: broadcast.id }, data: { status: 'QUEUED' } });
    expect(await status(newsPhoto)).toBe(200);
  });

  it('answers a refused photo politely and keeps nothing', async () => {
    const { baseUrl, taawun } = testApp();
    await webSend(baseUrl, 'session-photo-2', { text: '/start' });
    const before = await taawun.database.prisma.media.count();
    const pdf = await webPhoto(baseUrl, 'session-photo-2', PDF);
    expect(pdf.status).toBe(200);
    expect(pdf.photo).toBeUndefined();
    expect(texts(pdf.messages)[0]).toBe(ar('engine:unsupported.photo_type'));

    const big = await webPhoto(baseUrl, 'session-photo-2', largeJpeg(6 * 1024 * 1024));
    expect(big.status).toBe(413);
    expect(big.error?.code).toBe('photo_too_large');
    expect(texts(big.messages)[0]).toBe(ar('engine:unsupported.photo_size'));
    expect(await taawun.database.prisma.media.count()).toBe(before);
  });

  it('refuses bad requests and unknown media', async () => {
    const { baseUrl } = testApp();
    const bad = await fetch(`${baseUrl}/web/photos?sessionId=x&messageId=y`, {
      method: 'POST',
      body: PHOTOS.png,
    });
    expect(bad.status).toBe(400);
    expect((await webPhoto(baseUrl, 'session-photo-3', Buffer.alloc(0))).status).toBe(400);
    for (const id of ['unknown-media-id', '..%2F..%2Fetc%2Fpasswd', 'a']) {
      const res = await fetch(`${baseUrl}/media/${id}`);
      expect(res.status).toBe(404);
    }
  });

  it('gives a notification’s photo to the page as a URL', async () => {
    const { baseUrl, taawun } = testApp();
    await webSend(baseUrl, 'session-photo-4', { text: '/start' });
    const prisma = taawun.database.prisma;
    const put = await taawun.media.put(PHOTOS.webp);
    if (!put.ok) throw new Error('refused');
    const address = await prisma.contactChannel.findFirstOrThrow({
      where: { externalId: 'session-photo-4' },
    });
    await createServices(prisma, testServiceDeps()).notify.toContact(
      address.contactId,
      () => ({ text: 'منتج جديد', photo: { kind: 'stored', mediaId: put.media.id } }),
      { kind: 'notice' },
    );
    const res = await fetch(`${baseUrl}/web/messages?sessionId=session-photo-4`);
    const { messages } = (await res.json()) as { messages: PageMessage[] };
    expect(messages).toEqual([{ text: 'منتج جديد', photo: `media/${put.media.id}?s=session-photo-4` }]);
    expect((await fetch(`${baseUrl}/${messages[0]?.photo}`)).status).toBe(200);
    expect((await fetch(`${baseUrl}/media/${put.media.id}`)).status).toBe(404);
  });
});

describe('photo uploads from the web chat, over the limit', () => {
  const testApp = useTestApp();

  it('refuses more than 10 photos a minute from one page with 429, storing nothing', async () => {
    const { baseUrl, taawun } = testApp();
    await webSend(baseUrl, 'session-flood-1', { text: '/start' });
    for (let i = 0; i < 10; i++)
      expect((await webPhoto(baseUrl, 'session-flood-1', Buffer.alloc(0))).status).toBe(400);
    const refused = await webPhoto(baseUrl, 'session-flood-1', PHOTOS.png);
    expect(refused.status).toBe(429);
    expect(refused.error?.code).toBe('too_many_photos');
    expect(await taawun.database.prisma.media.count()).toBe(0);
    // Another page is not held back by this one.
    expect((await webPhoto(baseUrl, 'session-flood-2', PHOTOS.png)).status).toBe(200);
  });

  it('refuses more than 30 photos a minute from one address, whatever the session', async () => {
    const { baseUrl } = testApp();
    // The previous test used 12 of this address's 30.
    for (let i = 0; i < 18; i++)
      expect((await webPhoto(baseUrl, `session-many-${i}`, Buffer.alloc(0))).status).toBe(400);
    expect((await webPhoto(baseUrl, 'session-many-last', Buffer.alloc(0))).status).toBe(429);
  });
});

describe('a photo reaching a flow from the web chat', () => {
  const cleanups = useCleanups();

  it('arrives stored, and the reply that shows it gives the page its URL', async () => {
    const h = await createEngineHarness({ flows: [...FLOWS, photoFlow] });
    const dir = mkdtempSync(path.join(tmpdir(), 'taawun-media-'));
    cleanups.push(h.cleanup, () => rmSync(dir, { recursive: true, force: true }));
    const media = createMediaStore({ dir, prisma: h.prisma });
    const web = createWebChannel({ router: h.router, prisma: h.prisma, clock: () => new Date(), media });
    const server: Server = await new Promise((resolve) => {
      const s = express()
        .use(web.routes)
        .listen(0, '127.0.0.1', () => resolve(s));
    });
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    let last: PageMessage[] = [];
    const user = {
      say: async (text: string) => {
        last = (await webSend(baseUrl, 'session-flow', { text })).messages;
      },
      press: async (label: string) => {
        const message = last.findLast((m) => m.choices?.some((c) => c.label === label));
        const choice = message?.choices?.find((c) => c.label === label);
        if (!choice) throw new Error(`no button ${label}`);
        const sent = { choice: { id: choice.id, token: message?.choiceToken } };
        last = (await webSend(baseUrl, 'session-flow', sent)).messages;
      },
    };
    await onboardChatUser(user);
    await user.press(PHOTO_FLOW_ENTRY);
    await user.say('Amal');
    expect(texts(last)).toContain(PHOTO_PROMPT);

    const reply = await webPhoto(baseUrl, 'session-flow', PHOTOS.jpeg);
    const stored = await h.prisma.media.findFirstOrThrow();
    expect(reply.messages[0]).toEqual({
      text: `Thank you Amal: stored:${stored.id}`,
      photo: `media/${stored.id}?s=session-flow`,
    });
    const served = await fetch(`${baseUrl}/${reply.messages[0]?.photo}`);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
  });
});
