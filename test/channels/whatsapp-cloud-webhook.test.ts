import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useCleanups } from '../support/cleanups.js';
import { APP_SECRET, VERIFY_TOKEN, webhookPayload } from '../support/fake-graph.js';
import { startWhatsAppCloudApp } from '../support/whatsapp-cloud-app.js';

const cleanups = useCleanups();
const AMAL = '970599111222';

async function started() {
  const started = await startWhatsAppCloudApp();
  cleanups.push(started.cleanup);
  return started;
}

const sign = (body: string) => `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
const post = (url: string, body: string, signature: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
    body,
  }).then((res) => res.status);
const verify = (url: string, params: Record<string, string>) =>
  fetch(`${url}?${new URLSearchParams(params)}`).then(async (res) => ({
    status: res.status,
    body: await res.text(),
  }));

describe('WhatsApp Cloud webhook', () => {
  it('answers the verification handshake with the challenge, and only with the right token', async () => {
    const { webhookUrl } = await started();
    const challenge = '1158201444';
    expect(
      await verify(webhookUrl, {
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN,
        'hub.challenge': challenge,
      }),
    ).toEqual({ status: 200, body: challenge });
    for (const params of <Record<string, string>[]>[
      { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong-token', 'hub.challenge': challenge },
      { 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': challenge },
      { 'hub.mode': 'subscribe', 'hub.challenge': challenge },
    ]) {
      expect((await verify(webhookUrl, params)).status).toBe(403);
    }
  });

  it('refuses a call without a valid signature with 401 and stores nothing', async () => {
    const { fake, prisma, app } = await started();
    const { payload } = fake.incoming(AMAL, { type: 'text', text: { body: 'مرحبا' } });
    expect(await fake.deliver(payload, { secret: 'another-apps-secret-0000' })).toBe(401);
    expect(await fake.deliver(payload, { signature: null })).toBe(401);
    expect(await fake.deliver(payload, { signature: 'sha256=not-hex' })).toBe(401);
    expect(await fake.deliver(payload, { signature: `sha1=${'0'.repeat(40)}` })).toBe(401);
    await app.taawun.router.drain();
    expect(await prisma.inboundEvent.count()).toBe(0);
    expect(await prisma.contact.count()).toBe(0);
    expect(fake.sent).toHaveLength(0);
    // The same payload, signed with the app's secret, goes through.
    expect(await fake.deliver(payload)).toBe(200);
    await fake.waitForMessages(AMAL, 1);
  });

  it('checks the signature over the exact bytes, before parsing them', async () => {
    const { fake, webhookUrl, prisma } = await started();
    const { payload } = fake.incoming(AMAL, { type: 'text', text: { body: 'مرحبا' } });
    const signed = JSON.stringify(payload);
    // The same JSON with other spacing is other bytes: refused.
    expect(await post(webhookUrl, JSON.stringify(payload, null, 1), sign(signed))).toBe(401);
    expect(await post(webhookUrl, signed.replace('مرحبا', 'وداعا'), sign(signed))).toBe(401);
    expect(await post(webhookUrl, 'not json {', sign('not json {'))).toBe(400);
    expect(await prisma.inboundEvent.count()).toBe(0);
  });

  it('ignores changes for another phone number of the same account', async () => {
    const { fake, prisma, app } = await started();
    const payload = webhookPayload(
      { messages: [{ from: AMAL, id: 'wamid.other', type: 'text', text: { body: 'مرحبا' } }] },
      '999999999',
    );
    expect(await fake.deliver(payload)).toBe(200);
    await app.taawun.router.drain();
    expect(await prisma.inboundEvent.count()).toBe(0);
  });

  it('answers 200 once the message is stored, before the reply is sent', async () => {
    const { fake, prisma } = await started();
    fake.hold(1_500);
    const before = Date.now();
    const { status } = await fake.sendText(AMAL, 'مرحبا');
    expect(status).toBe(200);
    expect(Date.now() - before).toBeLessThan(1_000);
    expect(await prisma.inboundEvent.count()).toBe(1);
    expect(fake.sent).toHaveLength(0);
    await fake.waitForMessages(AMAL, 1);
  });

  it('reports the channel on /health', async () => {
    const { app } = await started();
    const health = await fetch(`${app.baseUrl}/health`).then((res) => res.json());
    expect(health.channels).toMatchObject({ whatsappCloud: 'on', web: 'on' });
  });
});
