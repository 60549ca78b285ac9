import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GraphError, GraphNetworkError } from '../../src/channels/whatsapp-cloud/client.js';
import { createImageUploader } from '../../src/channels/whatsapp-cloud/media.js';
import { OUTSIDE_WINDOW, toSendError } from '../../src/channels/whatsapp-cloud/outbox-sender.js';
import { translateWebhook } from '../../src/channels/whatsapp-cloud/translate.js';
import { validSignature } from '../../src/channels/whatsapp-cloud/webhook.js';
import { ChoiceDataTooLongError } from '../../src/core/choice-data.js';
import type { Channel } from '../../src/core/message.js';
import type { MediaStore } from '../../src/media/types.js';
import { PHONE_NUMBER_ID, webhookPayload } from '../support/fake-graph.js';

const AT = new Date('2026-03-01T12:00:00Z');
/** When she wrote: a minute before the webhook call reached us. */
const SENT = new Date(AT.getTime() - 60_000);
const WA = '970599111222';
const one = (message: Record<string, unknown>, contacts = [{ wa_id: WA, profile: { name: 'أمل' } }]) =>
  translateWebhook(
    webhookPayload({
      contacts,
      messages: [{ from: WA, id: 'wamid.1', timestamp: String(SENT.getTime() / 1000), ...message }],
    }),
    PHONE_NUMBER_ID,
    AT,
  );

describe('translating webhook messages', () => {
  it('a text, with her WhatsApp name and her number from the wa_id', () => {
    expect(one({ type: 'text', text: { body: 'مرحبا' } })).toEqual([
      {
        kind: 'message',
        message: {
          channel: 'whatsapp-cloud',
          externalUserId: WA,
          externalMessageId: 'wamid.1',
          receivedAt: SENT,
          profile: { name: 'أمل', phone: '+970599111222' },
          content: { kind: 'text', text: 'مرحبا' },
        },
      },
    ]);
  });

  it.each<[string, Record<string, unknown>, unknown]>([
    [
      'a reply button',
      {
        type: 'interactive',
        interactive: { type: 'button_reply', button_reply: { id: 'tok|yes', title: 'نعم' } },
      },
      { kind: 'choice', choiceId: 'yes', token: 'tok' },
    ],
    [
      'a list row',
      {
        type: 'interactive',
        interactive: { type: 'list_reply', list_reply: { id: 'tok|nav:menu', title: 'x' } },
      },
      { kind: 'choice', choiceId: 'nav:menu', token: 'tok' },
    ],
    [
      'a template quick reply, as its words',
      { type: 'button', button: { text: 'القائمة', payload: 'menu' } },
      { kind: 'text', text: 'القائمة' },
    ],
    [
      'a photo, as the channel media id',
      { type: 'image', image: { id: 'media-1', mime_type: 'image/jpeg', caption: 'صابون' } },
      {
        kind: 'photo',
        media: { kind: 'channel', channel: 'whatsapp-cloud', fileId: 'media-1' },
        caption: 'صابون',
      },
    ],
    [
      'a photo sent as a document',
      { type: 'document', document: { id: 'media-2', mime_type: 'image/png' } },
      { kind: 'photo', media: { kind: 'channel', channel: 'whatsapp-cloud', fileId: 'media-2' } },
    ],
    [
      'a PDF',
      { type: 'document', document: { id: 'media-3', mime_type: 'application/pdf' } },
      { kind: 'unsupported', reason: 'message_type' },
    ],
    ['a sticker', { type: 'sticker', sticker: { id: 's' } }, { kind: 'unsupported', reason: 'message_type' }],
    ['a location', { type: 'location', location: {} }, { kind: 'unsupported', reason: 'message_type' }],
  ])('%s', (_name, message, content) => {
    const [event] = one(message);
    expect(event?.kind === 'message' && event.message.content).toEqual(content);
  });

  it('a "more" row asks for a page, outside the engine', () => {
    const row = {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: 'pg:2:tok', title: 'x' } },
    };
    expect(one(row)).toEqual([{ kind: 'page', waId: WA, messageId: 'wamid.1', page: 2, token: 'tok' }]);
  });

  it.each([
    ['a timestamp in the future, as now', String(AT.getTime() / 1000 + 3_600), AT],
    ['no timestamp, as now', undefined, AT],
    ['a timestamp that is no number, as now', 'yesterday', AT],
  ])('takes %s', (_name, timestamp, receivedAt) => {
    const [event] = one({ type: 'text', text: { body: 'x' }, timestamp });
    expect(event?.kind === 'message' && event.message.receivedAt).toEqual(receivedAt);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a reaction', { type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } }],
    [
      'a forged button id',
      { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes' } } },
    ],
    ['a message without sender', { from: undefined, type: 'text', text: { body: 'x' } }],
  ])('%s is nothing', (_name, message) => {
    expect(one(message)).toEqual([]);
  });

  it('keeps the profile without a phone when the wa_id is not a number', () => {
    const [event] = one({ from: 'abc', type: 'text', text: { body: 'x' } }, []);
    expect(event?.kind === 'message' && event.message.profile).toEqual({});
  });

  it('reads statuses, with the reason of a failure', () => {
    const payload = webhookPayload({
      statuses: [
        { id: 'wamid.out.1', status: 'delivered', timestamp: '1772366400' },
        {
          id: 'wamid.out.2',
          status: 'failed',
          timestamp: '1772366400',
          errors: [
            { code: 131047, title: 'Re-engagement message', error_data: { details: 'More than 24 hours' } },
          ],
        },
        { id: 'wamid.out.3', status: 'deleted' },
      ],
    });
    expect(translateWebhook(payload, PHONE_NUMBER_ID, AT)).toEqual([
      { kind: 'status', report: { providerMessageId: 'wamid.out.1', status: 'delivered', at: AT } },
      {
        kind: 'status',
        report: {
          providerMessageId: 'wamid.out.2',
          status: 'failed',
          at: AT,
          error: '131047 Re-engagement message: More than 24 hours',
          errorCode: 131047,
        },
      },
    ]);
  });

  it.each([
    [null],
    ['text'],
    [{ entry: 'x' }],
    [{ entry: [{ changes: [{ field: 'account_update', value: {} }] }] }],
  ])('a payload of another shape (%j) is nothing', (payload) =>
    expect(translateWebhook(payload, PHONE_NUMBER_ID, AT)).toEqual([]),
  );
});

describe('X-Hub-Signature-256', () => {
  const body = Buffer.from('{"entry":[]}');
  const hex = (secret: string, bytes: Buffer) => createHmac('sha256', secret).update(bytes).digest('hex');
  it.each([
    ['the right signature', `sha256=${hex('secret', body)}`, true],
    ['its hex in capitals', `sha256=${hex('secret', body).toUpperCase()}`, true],
    ['another secret', `sha256=${hex('other', body)}`, false],
    ['another body', `sha256=${hex('secret', Buffer.from('{"entry":[1]}'))}`, false],
    ['a cut signature', `sha256=${hex('secret', body).slice(0, 40)}`, false],
    ['another algorithm', `sha1=${hex('secret', body)}`, false],
    ['not hex', 'sha256=zz', false],
    ['the prefix only', 'sha256=', false],
    ['nothing', undefined, false],
  ])('%s → %s', (_name, header, valid) => {
    expect(validSignature('secret', body, header)).toBe(valid);
  });
});

describe('Graph errors as the dispatcher sees them', () => {
  const graph = (status: number, code?: number) => new GraphError(status, code, `${code} reason`);
  type Hint = { kind: string; rateLimited?: true; scope?: 'chat'; account?: true; retryAfterMs?: number };
  it.each<[string, unknown, Hint]>([
    ['130429 throughput', graph(400, 130429), { kind: 'transient', rateLimited: true, retryAfterMs: 30_000 }],
    [
      '131048 spam rate limit',
      graph(400, 131048),
      { kind: 'transient', rateLimited: true, retryAfterMs: 60_000 },
    ],
    ['4 app call limit', graph(400, 4), { kind: 'transient', rateLimited: true, retryAfterMs: 60_000 }],
    [
      '80007 account rate limit',
      graph(400, 80007),
      { kind: 'transient', rateLimited: true, retryAfterMs: 60_000 },
    ],
    ['a 429 with any code', graph(429, 100), { kind: 'transient', rateLimited: true, retryAfterMs: 30_000 }],
    [
      '131056 pair rate limit, for her row only',
      graph(400, 131056),
      { kind: 'transient', rateLimited: true, scope: 'chat', retryAfterMs: 60_000 },
    ],
    ['131042 payment', graph(400, 131042), { kind: 'transient', account: true, retryAfterMs: 600_000 }],
    [
      '131031 account locked',
      graph(400, 131031),
      { kind: 'transient', account: true, retryAfterMs: 600_000 },
    ],
    ['368 policy block', graph(400, 368), { kind: 'transient', account: true, retryAfterMs: 600_000 }],
    [
      '133010 number not registered',
      graph(400, 133010),
      { kind: 'transient', account: true, retryAfterMs: 600_000 },
    ],
    ['190 expired token', graph(401, 190), { kind: 'transient', account: true, retryAfterMs: 600_000 }],
    ['131047 outside the window', graph(400, 131047), { kind: 'skipped' }],
    ['131026 not on WhatsApp', graph(400, 131026), { kind: 'unreachable' }],
    ['131051 unsupported type', graph(400, 131051), { kind: 'permanent' }],
    ['another 4xx', graph(400, 100), { kind: 'permanent' }],
    ['a 5xx', graph(500, 131000), { kind: 'transient' }],
    ['no answer', new GraphNetworkError(new Error('ECONNRESET')), { kind: 'transient' }],
    ['a choice id too long', new ChoiceDataTooLongError('x', 1), { kind: 'permanent' }],
  ])('%s', (_name, err, hint) => {
    const error = toSendError(err);
    expect({
      kind: error.kind,
      rateLimited: error.rateLimited,
      scope: error.scope,
      account: error.account,
      retryAfterMs: error.retryAfterMs,
    }).toEqual({
      rateLimited: false,
      scope: 'channel',
      account: false,
      retryAfterMs: undefined,
      ...hint,
    });
  });

  it('names 131047 as the skip reason, and carries the parts already sent', () => {
    expect(toSendError(graph(400, 131047)).message).toBe(OUTSIDE_WINDOW);
    expect(toSendError(graph(500, 131000), 2).partsSent).toBe(2);
    expect(toSendError(graph(500, 131000)).partsSent).toBeUndefined();
  });
});

describe('stored photos on WhatsApp', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'taawun-wa-media-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'photo.jpg');
  writeFileSync(file, Buffer.from('jpeg bytes'));

  function setUp() {
    const kept = new Map<string, string>();
    const store: MediaStore = {
      put: async () => {
        throw new Error('not used');
      },
      get: async (mediaId) =>
        mediaId === 'm1' ? { id: 'm1', sha256: 'x', mime: 'image/jpeg', size: 10, path: file } : null,
      channelFileId: async (mediaId: string, channel: Channel) => kept.get(`${mediaId}:${channel}`) ?? null,
      rememberChannelFileId: async (mediaId: string, channel: Channel, fileId: string) => {
        kept.set(`${mediaId}:${channel}`, fileId);
      },
    };
    const live = new Set<string>();
    const calls = { uploads: 0, checks: 0 };
    const client = {
      async uploadMedia(bytes: Buffer, mime: string) {
        expect([bytes.toString(), mime]).toEqual(['jpeg bytes', 'image/jpeg']);
        const id = `up-${++calls.uploads}`;
        live.add(id);
        return id;
      },
      async mediaInfo(id: string) {
        calls.checks++;
        if (!live.has(id)) throw new GraphError(400, 100, 'Unsupported get request');
        return { url: `https://lookaside.example/${id}` };
      },
    };
    let now = AT.getTime();
    const imageId = createImageUploader(client, store, () => new Date(now));
    return { imageId, calls, live, kept, later: (ms: number) => (now += ms) };
  }

  it('uploads once, reuses the id, and uploads again once WhatsApp has let it expire', async () => {
    const { imageId, calls, live, kept, later } = setUp();
    const ref = { kind: 'stored', mediaId: 'm1' } as const;
    expect(await Promise.all([imageId(ref), imageId(ref)])).toEqual(['up-1', 'up-1']);
    expect(await imageId(ref)).toBe('up-1');
    expect(calls).toEqual({ uploads: 1, checks: 0 });
    expect(kept.get('m1:whatsapp-cloud')).toBe('up-1');

    later(2 * 3_600_000);
    live.delete('up-1');
    expect(await imageId(ref)).toBe('up-2');
    expect(calls).toEqual({ uploads: 2, checks: 1 });
    expect(kept.get('m1:whatsapp-cloud')).toBe('up-2');
  });

  it('sends a WhatsApp media id as it is, and nothing for another channel’s file or a missing photo', async () => {
    const { imageId, calls } = setUp();
    expect(await imageId({ kind: 'channel', channel: 'whatsapp-cloud', fileId: 'in-1' })).toBe('in-1');
    expect(await imageId({ kind: 'channel', channel: 'telegram', fileId: 'AgAC' })).toBeNull();
    expect(await imageId({ kind: 'stored', mediaId: 'gone' })).toBeNull();
    expect(calls.uploads).toBe(0);
  });
});
