import { describe, expect, it } from 'vitest';
import {
  CAPTION_LIMIT,
  choiceData,
  escapeHtml,
  inlineKeyboard,
  PAGE_SIZE,
  pageData,
  parsePageData,
  renderMessage,
  splitText,
  TEXT_LIMIT,
} from '../../src/channels/telegram/render.js';
import { ChoiceDataTooLongError, parseChoiceData } from '../../src/core/choice-data.js';
import type { Choice, OutboundMessage } from '../../src/core/message.js';

const labels = { next: 'التالي ›', previous: '‹ السابق', sharePhone: '📱 مشاركة رقمي' };
const choices = (n: number, label = (i: number) => `خيار ${i}`): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, label: label(i + 1) }));
const layout = (message: OutboundMessage) => {
  const markup = renderMessage(message, labels).sends.at(-1)?.other.reply_markup;
  return markup && 'inline_keyboard' in markup
    ? markup.inline_keyboard.map((row) => row.map((b) => b.text))
    : null;
};

describe('escapeHtml', () => {
  it.each([
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['<b>عريض</b>', '&lt;b&gt;عريض&lt;/b&gt;'],
    ['&amp;', '&amp;amp;'],
    ['بدون رموز "quotes"', 'بدون رموز "quotes"'],
  ])('%s', (input, expected) => expect(escapeHtml(input)).toBe(expected));
});

describe('callback data', () => {
  it.each([
    ['tok123', 'continue', 'tok123|continue'],
    [undefined, 'nav:menu', '|nav:menu'],
    ['t', 'a|b', 't|a|b'],
  ])('token %s + %s → %s and back', (token, id, data) => {
    expect(choiceData(token, id)).toBe(data);
    expect(parseChoiceData(data)).toEqual({ choiceId: id, ...(token ? { token } : {}) });
  });

  it.each([['pg:2'], ['nothing'], ['tok|'], ['']])('%s is not a choice', (data) => {
    expect(parseChoiceData(data)).toBeNull();
  });

  it.each([
    [pageData(0), 0],
    [pageData(12), 12],
    ['pg:x', null],
    ['t|pg:1', null],
  ])('page data %s → %s', (data, page) => expect(parsePageData(data)).toBe(page));

  it('accepts exactly 64 bytes and fails loudly past them, counting UTF-8 bytes', () => {
    expect(choiceData('abcdef', 'x'.repeat(57))).toHaveLength(64);
    expect(() => choiceData('abcdef', 'x'.repeat(58))).toThrow(ChoiceDataTooLongError);
    expect(() => choiceData('abcdef', 'م'.repeat(29))).toThrow(/65 bytes/);
    expect(() => renderMessage({ text: 'q', choices: [{ id: 'y'.repeat(64), label: 'l' }] }, labels)).toThrow(
      ChoiceDataTooLongError,
    );
  });
});

describe('inline keyboard layout', () => {
  it.each<[string, Choice[], string[][]]>([
    ['short labels pair up', choices(3), [['خيار 1', 'خيار 2'], ['خيار 3']]],
    [
      'long labels get a row each',
      choices(2, (i) => `تسجيل جمعية تعاونية جديدة رقم ${i}`),
      [['تسجيل جمعية تعاونية جديدة رقم 1'], ['تسجيل جمعية تعاونية جديدة رقم 2']],
    ],
    [
      'a long label breaks the pairing',
      [
        { id: 'a', label: 'نعم' },
        { id: 'b', label: 'أريد أن أعرف المزيد عن التمويل' },
        { id: 'c', label: 'لا' },
        { id: 'd', label: 'لاحقًا' },
      ],
      [['نعم'], ['أريد أن أعرف المزيد عن التمويل'], ['لا', 'لاحقًا']],
    ],
  ])('%s', (_name, given, expected) => {
    expect(layout({ text: 'q', choices: given, choiceToken: 'tk' })).toEqual(expected);
  });

  it('puts token|id in every button', () => {
    const markup = inlineKeyboard(choices(2), 'tk', labels);
    expect(markup.inline_keyboard.flat().map((b) => ('callback_data' in b ? b.callback_data : null))).toEqual(
      ['tk|c1', 'tk|c2'],
    );
  });
});

describe('pagination', () => {
  const many = [...choices(19), { id: 'nav:back', label: '↩️ رجوع' }, { id: 'nav:menu', label: '🏠 القائمة' }];
  const page = (n: number) => inlineKeyboard(many, 'tk', labels, n).inline_keyboard;
  const data = (rows: ReturnType<typeof page>) =>
    rows.flat().map((b) => ('callback_data' in b ? b.callback_data : ''));

  it.each([
    [0, ['c1', 'c8'], [labels.next]],
    [1, ['c9', 'c16'], [labels.previous, labels.next]],
    [2, ['c17', 'c19'], [labels.previous]],
  ])('page %i shows its choices, the pinned back/menu and the page buttons', (n, [first, last], turn) => {
    const rows = page(n);
    const ids = data(rows).filter((d) => d.startsWith('tk|c'));
    expect(ids.length).toBeLessThanOrEqual(PAGE_SIZE);
    expect(ids[0]).toBe(`tk|${first}`);
    expect(ids.at(-1)).toBe(`tk|${last}`);
    expect(data(rows)).toEqual(expect.arrayContaining(['tk|nav:back', 'tk|nav:menu']));
    expect(rows.at(-1)?.map((b) => b.text)).toEqual(turn);
  });

  it('page buttons carry the page they open', () => {
    expect(data([page(1).at(-1) ?? []])).toEqual([pageData(0), pageData(2)]);
  });

  it('hands the choices to the adapter only when there is more than one page', () => {
    const paged = renderMessage({ text: 'q', choices: many, choiceToken: 'tk' }, labels).sends[0];
    expect(paged?.paging).toEqual({ choices: many, token: 'tk' });
    expect(
      renderMessage({ text: 'q', choices: choices(8), choiceToken: 'tk' }, labels).sends[0]?.paging,
    ).toBeUndefined();
  });
});

describe('long text', () => {
  const line = 'سطر من نص طويل & <مهم>'.padEnd(100, '.');
  const long = Array.from({ length: 100 }, (_, i) => `${i} ${line}`).join('\n');

  it('splits on line boundaries, every escaped part within the limit, buttons on the last part', () => {
    const { sends } = renderMessage({ text: long, choices: choices(2), choiceToken: 'tk' }, labels);
    expect(sends.length).toBeGreaterThan(2);
    for (const send of sends) {
      expect(send.method).toBe('sendMessage');
      if (send.method === 'sendMessage') expect(send.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    }
    expect(sends.slice(0, -1).every((s) => s.other.reply_markup === undefined)).toBe(true);
    expect(sends.at(-1)?.other.reply_markup).toBeDefined();
    const joined = sends.map((s) => (s.method === 'sendMessage' ? s.text : '')).join('\n');
    expect(joined).toBe(escapeHtml(long));
  });

  it.each([
    ['one line with no break', 'ب'.repeat(5000)],
    ['ampersands that grow when escaped', '&'.repeat(2000)],
    ['emoji never cut in half', '🌿'.repeat(3000)],
  ])('%s', (_name, text) => {
    const parts = splitText(text, TEXT_LIMIT);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((p) => escapeHtml(p).length <= TEXT_LIMIT)).toBe(true);
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });
});

describe('share-phone keyboard', () => {
  it('is a one-time reply keyboard with one request_contact button, choices as typed buttons', () => {
    const { sends } = renderMessage(
      { text: 'رقمكِ؟', requestContact: true, choices: [{ id: 'skip', label: 'تخطي' }] },
      labels,
    );
    expect(sends).toHaveLength(1);
    expect(sends[0]?.other.reply_markup).toEqual({
      keyboard: [[{ text: labels.sharePhone, request_contact: true }], [{ text: 'تخطي' }]],
      one_time_keyboard: true,
      resize_keyboard: true,
    });
  });
});

describe('photos', () => {
  const photo = { kind: 'channel', channel: 'telegram', fileId: 'AgAC-file' } as const;

  it('sends a Telegram photo by file id with its escaped caption and the keyboard', () => {
    const { sends, unsentPhoto } = renderMessage({ text: 'فخار <يدوي>', photo, choices: choices(1) }, labels);
    expect(unsentPhoto).toBeUndefined();
    expect(sends).toEqual([
      expect.objectContaining({
        method: 'sendPhoto',
        photo: { fileId: 'AgAC-file' },
        other: expect.objectContaining({
          caption: 'فخار &lt;يدوي&gt;',
          parse_mode: 'HTML',
          reply_markup: expect.anything(),
        }),
      }),
    ]);
  });

  it.each([
    ['first line fits', `عنوان المنتج\n${'و'.repeat(2000)}`, 'عنوان المنتج', 1],
    ['nothing fits', 'و'.repeat(CAPTION_LIMIT + 1), undefined, 1],
  ])(
    'a caption over 1024 becomes a short caption and a text message (%s)',
    (_name, text, caption, messages) => {
      const { sends } = renderMessage({ text, photo, choices: choices(1) }, labels);
      expect(sends[0]).toMatchObject({ method: 'sendPhoto' });
      expect(sends[0]?.method === 'sendPhoto' ? sends[0].other.caption : 'not a photo').toBe(caption);
      expect(sends.filter((s) => s.method === 'sendMessage')).toHaveLength(messages);
      expect(sends[0]?.other.reply_markup).toBeUndefined();
      expect(sends.at(-1)?.other.reply_markup).toBeDefined();
    },
  );

  it('sends a stored photo by its media id (the adapter uploads it or uses its cached file id)', () => {
    const { sends, unsentPhoto } = renderMessage(
      { text: 'منتج', photo: { kind: 'stored', mediaId: 'm1' } },
      labels,
    );
    expect(unsentPhoto).toBeUndefined();
    expect(sends).toEqual([
      { method: 'sendPhoto', photo: { mediaId: 'm1' }, other: { parse_mode: 'HTML', caption: 'منتج' } },
    ]);
  });

  it('another channel’s file cannot be sent: its text is, and the photo is reported', () => {
    const ref = { kind: 'channel', channel: 'whatsapp-cloud', fileId: 'x' } as const;
    const result = renderMessage({ text: 'منتج', photo: ref }, labels);
    expect(result.unsentPhoto).toEqual(ref);
    expect(result.sends).toEqual([{ method: 'sendMessage', text: 'منتج', other: { parse_mode: 'HTML' } }]);
  });
});
