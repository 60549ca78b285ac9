import { describe, expect, it, vi } from 'vitest';
import type { WhatsAppWebMessage } from '../../src/channels/whatsapp-web/client.js';
import {
  asksForNextPage,
  type MenuLabels,
  menuLines,
  menuOf,
  renderText,
} from '../../src/channels/whatsapp-web/render.js';
import { translateMessage } from '../../src/channels/whatsapp-web/translate.js';
import type { Choice } from '../../src/core/message.js';
import { useCleanups } from '../support/cleanups.js';
import { startWhatsAppWebApp } from '../support/fake-whatsapp-web.js';
import { PHOTOS } from '../support/photos.js';
import { eventually } from '../support/telegram-app.js';

const LABELS: MenuLabels = { more: 'المزيد', firstPage: 'من البداية', orType: 'أو اكتبي:' };
const choices = (count: number): Choice[] =>
  Array.from({ length: count }, (_, i) => ({ id: `c${i + 1}`, label: `خيار ${i + 1}` }));
const NAV: Choice[] = [
  { id: 'nav:back', label: '↩️ رجوع' },
  { id: 'nav:menu', label: '🏠 القائمة' },
];

describe('numbered menus', () => {
  it('numbers the step’s choices in order, the main menu’s nav: entries too, and shows back/menu as words', () => {
    const menuEntries = [
      { id: 'funding', label: 'التمويل' },
      { id: 'nav:language', label: 'English' },
    ];
    expect(renderText({ text: 'القائمة', choices: [...menuEntries, ...NAV] }, LABELS)).toEqual({
      text: 'القائمة\n\n1) التمويل\n2) English\n\nأو اكتبي: ↩️ رجوع · 🏠 القائمة',
    });
    expect(renderText({ text: 'اكتبي اسم الجمعية', choices: [NAV[1] as Choice] }, LABELS).text).toBe(
      'اكتبي اسم الجمعية\n\nأو اكتبي: 🏠 القائمة',
    );
    expect(renderText({ text: 'شكرًا' }, LABELS)).toEqual({ text: 'شكرًا' });
  });

  it('shows up to twelve choices whole, and more in pages of nine turned by 0', () => {
    expect(menuLines(menuOf(choices(12)), LABELS)).toHaveLength(12);
    const long = menuOf([...choices(16), ...NAV]);
    expect(menuLines(long, LABELS, 0)).toEqual([
      ...choices(9).map((c, i) => `${i + 1}) ${c.label}`),
      '0) المزيد',
      '',
      'أو اكتبي: ↩️ رجوع · 🏠 القائمة',
    ]);
    expect(menuLines(long, LABELS, 1).slice(0, 8)).toEqual([
      ...choices(16)
        .slice(9)
        .map((c, i) => `${i + 10}) ${c.label}`),
      '0) من البداية',
    ]);
    expect(renderText({ text: 'المحافظة', choices: choices(16) }, LABELS).paged?.numbered).toHaveLength(16);
  });

  it.each(['0', '٠', '۰', '0)', ' 0. ', '0️⃣'])('reads %j as "next page"', (text) => {
    expect(asksForNextPage(text)).toBe(true);
  });

  it.each(['10', '1', 'صفر0', ''])('does not read %j as "next page"', (text) => {
    expect(asksForNextPage(text)).toBe(false);
  });
});

describe('translating WhatsApp Web messages', () => {
  const message = (fields: Partial<WhatsAppWebMessage>): WhatsAppWebMessage => ({
    id: { _serialized: 'false_970599123456@c.us_ABC' },
    from: '970599123456@c.us',
    fromMe: false,
    type: 'chat',
    body: 'مرحبا',
    isStatus: false,
    broadcast: false,
    getContact: async () => ({}),
    downloadMedia: async () => undefined,
    ...fields,
  });
  const at = new Date('2025-03-06T10:00:00Z');

  it('keys her by the chat id and fills the phone only from a @c.us id', () => {
    expect(translateMessage(message({}), at)).toEqual({
      channel: 'whatsapp-web',
      externalUserId: '970599123456@c.us',
      externalMessageId: 'false_970599123456@c.us_ABC',
      receivedAt: at,
      profile: { phone: '+970599123456' },
      content: { kind: 'text', text: 'مرحبا' },
    });
    expect(translateMessage(message({ from: '972521234567@c.us' }), at)?.profile).toEqual({
      phone: '+972521234567',
    });
    const hidden = translateMessage(message({ from: '201234567890123@lid' }), at);
    expect(hidden?.externalUserId).toBe('201234567890123@lid');
    expect(hidden?.profile).toEqual({});
  });

  it.each([
    [
      'image',
      {
        kind: 'photo',
        media: { kind: 'channel', channel: 'whatsapp-web', fileId: 'false_970599123456@c.us_ABC' },
        caption: 'مرحبا',
      },
    ],
    [
      'document',
      {
        kind: 'photo',
        media: { kind: 'channel', channel: 'whatsapp-web', fileId: 'false_970599123456@c.us_ABC' },
        caption: 'مرحبا',
      },
    ],
    ['ptt', { kind: 'unsupported', reason: 'message_type' }],
    ['sticker', { kind: 'unsupported', reason: 'message_type' }],
    ['location', { kind: 'unsupported', reason: 'message_type' }],
  ])('reads a %s message', (type, content) => {
    expect(translateMessage(message({ type }), at)?.content).toEqual(content);
  });

  it.each([
    ['a group', { from: '120363025246125486@g.us' }],
    ['a status', { from: 'status@broadcast', isStatus: true }],
    ['a channel', { from: '120363199999999999@newsletter' }],
    ['its own', { fromMe: true }],
    ['a notification', { type: 'e2e_notification' }],
    ['an empty text', { body: '' }],
  ])('ignores %s message', (_, fields) => {
    expect(translateMessage(message(fields), at)).toBeNull();
  });
});

describe('the adapter on the fake client', () => {
  const cleanups = useCleanups();
  const SALMA = '970599123456@c.us';
  const start = async () => {
    const started = await startWhatsAppWebApp();
    cleanups.push(started.cleanup);
    return started;
  };

  it('turns the pages of a long menu itself, and leaves typed numbers to the engine', async () => {
    const { fake, adapter, app } = await start();
    const accept = vi.spyOn(app.taawun.router, 'accept');
    await adapter.sink.deliver(SALMA, [{ text: 'اختاري المحافظة', choices: [...choices(16), ...NAV] }]);
    expect(fake.sentTo(SALMA)[0]?.text).toContain('9) خيار 9\n0) المزيد من الخيارات');

    fake.say(SALMA, '٠');
    const second = await eventually(() => fake.sentTo(SALMA)[1]);
    expect(second.text.split('\n').slice(0, 8)).toEqual([
      ...choices(16)
        .slice(9)
        .map((c, i) => `${i + 10}) ${c.label}`),
      '0) العودة إلى بداية الخيارات',
    ]);
    fake.say(SALMA, '0');
    const third = await eventually(() => fake.sentTo(SALMA)[2]);
    expect(third.text.startsWith('1) خيار 1\n')).toBe(true);

    fake.say(SALMA, '١٢');
    await eventually(() => (accept.mock.calls.length ? true : undefined));
    expect(accept.mock.calls.map(([msg]) => msg.content)).toEqual([{ kind: 'text', text: '١٢' }]);
  });

  it('sends a stored photo with its text as the caption, or the text after it when too long', async () => {
    const { fake, adapter, app } = await start();
    const stored = await app.taawun.media.put(PHOTOS.jpeg);
    if (!stored.ok) throw new Error('the fixture photo was refused');
    const photo = { kind: 'stored' as const, mediaId: stored.media.id };
    await adapter.sink.deliver(SALMA, [
      { text: 'زيت زيتون', photo },
      { text: 'ط'.repeat(1_100), photo },
    ]);
    expect(fake.sentTo(SALMA).map((m) => [m.media?.mimetype, m.media?.data.length, m.text.length])).toEqual([
      ['image/jpeg', PHOTOS.jpeg.toString('base64').length, 'زيت زيتون'.length],
      ['image/jpeg', PHOTOS.jpeg.toString('base64').length, 0],
      [undefined, undefined, 1_100],
    ]);
    expect(fake.sentTo(SALMA)[0]?.media?.data).toBe(PHOTOS.jpeg.toString('base64'));
  });
});
