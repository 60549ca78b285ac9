import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/services/index.js';
import { startTestApp, useTestApp, webSend } from '../support/app.js';
import { testServiceDeps } from '../support/service-deps.js';

describe('outbox to the web chat (pulled by the page)', () => {
  const testApp = useTestApp();

  it("puts a web contact's notification where the page's next poll finds it", async () => {
    const app = testApp();
    await webSend(app.baseUrl, 'session-outbox-1', { text: '/start' });
    const prisma = app.taawun.database.prisma;
    const address = await prisma.contactChannel.findFirstOrThrow({
      where: { externalId: 'session-outbox-1' },
    });
    const services = createServices(prisma, testServiceDeps());
    const queued = await services.notify.toContact(address.contactId, () => ({ text: 'وصل ردّ المنسّقة' }), {
      kind: 'notice',
    });
    expect(queued).toBe(true);

    let shown: { text: string }[] = [];
    const deadline = Date.now() + 5_000;
    while (shown.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await fetch(`${app.baseUrl}/web/messages?sessionId=session-outbox-1`);
      shown = ((await res.json()) as { messages: { text: string }[] }).messages;
    }
    expect(shown.map((m) => m.text)).toEqual(['وصل ردّ المنسّقة']);
    const row = await prisma.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'SENT', channel: 'web', providerMessageId: null });
  });

  it('keeps a notification the page has not collected yet across a restart', async () => {
    const first = await startTestApp();
    await webSend(first.baseUrl, 'session-outbox-2', { text: '/start' });
    const prisma = first.taawun.database.prisma;
    const address = await prisma.contactChannel.findFirstOrThrow({
      where: { externalId: 'session-outbox-2' },
    });
    const services = createServices(prisma, testServiceDeps());
    await services.notify.toContact(address.contactId, () => ({ text: 'تذكير بالاجتماع' }), {
      kind: 'notice',
    });
    await first.stop();

    const second = await startTestApp({}, first.dataDir);
    try {
      const res = await fetch(`${second.baseUrl}/web/messages?sessionId=session-outbox-2`);
      const { messages } = (await res.json()) as { messages: { text: string }[] };
      expect(messages.map((m) => m.text)).toEqual(['تذكير بالاجتماع']);
      const again = await fetch(`${second.baseUrl}/web/messages?sessionId=session-outbox-2`);
      expect(((await again.json()) as { messages: unknown[] }).messages).toEqual([]);
    } finally {
      await second.cleanup();
    }
  });
});
