import { describe, expect, it } from 'vitest';
import { useTestApp, webSend } from '../support/app.js';

describe('web chat over HTTP', () => {
  const app = useTestApp();

  it('serves the Arabic right-to-left chat page', async () => {
    const res = await fetch(`${app().baseUrl}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('dir="rtl"');
    expect(html).toContain('lang="ar"');
  });

  it('answers /start with an Arabic welcome and buttons, and advances on a press', async () => {
    const welcome = await webSend(app().baseUrl, 'session-aaaa', { text: '/start' });
    expect(welcome.status).toBe(200);
    expect(welcome.messages[0]?.text).toContain('أهلًا وسهلًا');
    const continueChoice = welcome.messages[0]?.choices?.[0];
    expect(continueChoice?.label).toBe('متابعة بالعربية');

    const consent = await webSend(app().baseUrl, 'session-aaaa', {
      choice: { id: continueChoice?.id ?? '', token: welcome.messages[0]?.choiceToken },
    });
    expect(consent.messages[0]?.text).toContain('خصوصيتكِ');
    const conversation = await app().taawun.database.prisma.conversation.findFirst({
      where: { contactChannel: { channel: 'web', externalId: 'session-aaaa' } },
    });
    expect(conversation?.step).toBe('consent');
  });

  it('handles a retried POST (same message id) once', async () => {
    const first = await webSend(app().baseUrl, 'session-bbbb', { text: '/start' }, 'same-id-123');
    const again = await webSend(app().baseUrl, 'session-bbbb', { text: '/start' }, 'same-id-123');
    expect(first.messages).toHaveLength(1);
    expect(again.messages).toHaveLength(0);
    expect(
      await app().taawun.database.prisma.inboundEvent.count({
        where: { externalMessageId: { startsWith: 'session-bbbb' } },
      }),
    ).toBe(1);
  });

  it('rejects malformed and oversized messages with a clear error', async () => {
    const bad = await fetch(`${app().baseUrl}/web/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: 'x', text: 'hi' }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_message');
    const huge = await webSend(app().baseUrl, 'session-cccc', { text: 'ا'.repeat(20_000) });
    expect(huge.status).toBe(400);
  });

  it('answers a long message politely and stays on the step', async () => {
    await webSend(app().baseUrl, 'session-dddd', { text: '/start' });
    const long = await webSend(app().baseUrl, 'session-dddd', { text: 'ا'.repeat(5000) });
    expect(long.status).toBe(200);
    expect(long.messages[0]?.text).toContain('لم أفهم إجابتكِ');
    expect(long.messages.at(-1)?.text).toContain('أهلًا وسهلًا');
  });

  it('reports health and metrics', async () => {
    const health = await (await fetch(`${app().baseUrl}/health`)).json();
    expect(health).toEqual({
      status: 'ok',
      db: 'ok',
      channels: { telegram: 'off', whatsappWeb: 'off', whatsappCloud: 'off', web: 'on' },
    });
    const metrics = await (await fetch(`${app().baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/taawun_updates_total\{channel="web"\} \d+/);
    expect(metrics).toContain('taawun_handling_seconds_bucket');
  });
});
