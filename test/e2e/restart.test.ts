import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, webSend } from '../support/app.js';

describe('restart', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'taawun-restart-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('continues the same step after the app is stopped mid-onboarding and started again', async () => {
    const first = await startTestApp({}, dataDir);
    await webSend(first.baseUrl, 'restart-session', { text: '/start' });
    const consent = await webSend(first.baseUrl, 'restart-session', { text: '1' });
    expect(consent.messages[0]?.text).toContain('خصوصيتكِ');
    const agree = consent.messages[0]?.choices?.find((c) => c.label === 'أوافق');
    await first.stop();

    const second = await startTestApp({}, dataDir);
    try {
      const persona = await webSend(second.baseUrl, 'restart-session', {
        choice: { id: agree?.id ?? '', token: consent.messages[0]?.choiceToken },
      });
      expect(persona.messages[0]?.text).toContain('من أنتِ؟');
    } finally {
      await second.stop();
    }
  });

  it('handles on start an update that was stored but not handled before a crash', async () => {
    const first = await startTestApp({}, dataDir);
    await first.taawun.database.prisma.inboundEvent.create({
      data: {
        channel: 'web',
        externalMessageId: 'crash-1',
        receivedAt: new Date(),
        payload: {
          channel: 'web',
          externalUserId: 'crash-session',
          externalMessageId: 'crash-1',
          receivedAt: new Date().toISOString(),
          content: { kind: 'text', text: '/start' },
        },
      },
    });
    await first.stop();

    const second = await startTestApp({}, dataDir);
    try {
      await second.taawun.router.drain();
      const event = await second.taawun.database.prisma.inboundEvent.findFirst({
        where: { externalMessageId: 'crash-1' },
      });
      expect(event?.processedAt).toBeInstanceOf(Date);
      const pending = await fetch(`${second.baseUrl}/web/messages?sessionId=crash-session`);
      const { messages } = (await pending.json()) as { messages: { text: string }[] };
      expect(messages[0]?.text).toContain('أهلًا وسهلًا');
    } finally {
      await second.stop();
    }
  });
});
