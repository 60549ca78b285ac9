import { describe, expect, it } from 'vitest';
import { createGraphClient, GraphError } from '../../src/channels/whatsapp-cloud/client.js';
import { whatsappTexts } from '../../src/channels/whatsapp-cloud/locale.js';
import {
  CAPTION_LIMIT,
  choicesMessage,
  clip,
  INTERACTIVE_BODY_LIMIT,
  LIST_BUTTON_LIMIT,
  pageCount,
  pageId,
  parsePageId,
  ROW_DESCRIPTION_LIMIT,
  ROW_TITLE_LIMIT,
  renderMessage,
  TEXT_LIMIT,
} from '../../src/channels/whatsapp-cloud/render.js';
import type { GraphMessage, Interactive } from '../../src/channels/whatsapp-cloud/types.js';
import {
  insideWindow,
  TEMPLATE_PARAMETER_LIMIT,
  templateMessage,
  templateParameter,
} from '../../src/channels/whatsapp-cloud/window.js';
import { ChoiceDataTooLongError, parseChoiceData } from '../../src/core/choice-data.js';
import type { Choice } from '../../src/core/message.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { GRAPH_TOKEN, overLimit, PHONE_NUMBER_ID, startFakeGraph } from '../support/fake-graph.js';

const labels = {
  listButton: 'عرض الخيارات',
  more: 'المزيد ⬅️',
  moreChoices: 'خيارات أخرى:',
  chooseBelow: 'اختاري مما يلي 👇',
};
const choices = (n: number, label = (i: number) => `خيار ${i}`): Choice[] =>
  Array.from({ length: n }, (_, i) => ({ id: `c${i + 1}`, label: label(i + 1) }));
const interactive = (message: GraphMessage | undefined): Interactive => {
  if (message?.type !== 'interactive') throw new Error(`not interactive: ${JSON.stringify(message)}`);
  return message.interactive;
};
const rowsOf = (message: GraphMessage | undefined) => {
  const it = interactive(message);
  return it.type === 'list' ? it.action.sections.flatMap((s) => s.rows) : [];
};

describe('choices on WhatsApp', () => {
  it.each<[string, Choice[], 'button' | 'list']>([
    ['two short labels: reply buttons', choices(2), 'button'],
    ['three short labels: reply buttons', choices(3), 'button'],
    ['four: a list', choices(4), 'list'],
    ['one label over 20 characters: a list', [{ id: 'a', label: 'جمعية خيرية / مركز نسوي' }], 'list'],
    ['ten: one list', choices(10), 'list'],
  ])('%s', (_name, given, type) => {
    const message = choicesMessage('اختاري', given, 'tok', labels);
    expect(interactive(message).type).toBe(type);
  });

  it('puts the step token in every button and row id, and reads it back', () => {
    const buttons = interactive(choicesMessage('اختاري', choices(2), 'tok', labels));
    expect(buttons.type === 'button' && buttons.action.buttons.map((b) => b.reply.id)).toEqual([
      'tok|c1',
      'tok|c2',
    ]);
    const rows = rowsOf(choicesMessage('اختاري', choices(4), 'tok', labels));
    expect(rows.map((r) => parseChoiceData(r.id))).toEqual(
      ['c1', 'c2', 'c3', 'c4'].map((choiceId) => ({ choiceId, token: 'tok' })),
    );
  });

  it('fails loudly on a choice id too long for a row id (200) rather than cutting it', () => {
    expect(() =>
      choicesMessage('اختاري', [...choices(3), { id: 'x'.repeat(200), label: 'l' }], 't', labels),
    ).toThrow(ChoiceDataTooLongError);
  });

  it('cuts a long label at a word for the row title and carries the rest in its description', () => {
    const label =
      'تسجيل جمعية تعاونية جديدة في محافظة شمال غزة مع وصف طويل جدًا للأنشطة والمنتجات اليدوية والزراعية';
    const [row] = rowsOf(choicesMessage('اختاري', [{ id: 'a', label }, ...choices(3)], 't', labels));
    expect(row?.title).toBe('تسجيل جمعية تعاونية…');
    expect(row?.title.length).toBeLessThanOrEqual(ROW_TITLE_LIMIT);
    expect(label.startsWith(`${row?.title.slice(0, -1)} ${(row?.description ?? '').slice(0, 10)}`)).toBe(
      true,
    );
    expect(row?.description?.length).toBeLessThanOrEqual(ROW_DESCRIPTION_LIMIT);
    expect(row?.description?.endsWith('…')).toBe(true);
  });

  it.each([
    [10, 1],
    [11, 2],
    [18, 2],
    [19, 2],
    [20, 3],
  ])('%i choices take %i list page(s)', (n, pages) => expect(pageCount(n)).toBe(pages));

  it('pages past ten: nine rows and "more" carrying the page and token; the last page has the rest', () => {
    const all = choices(18);
    const first = rowsOf(choicesMessage('اختاري', all, 'tok', labels));
    expect(first).toHaveLength(10);
    expect(first.slice(0, 9).map((r) => r.title)).toEqual(all.slice(0, 9).map((c) => c.label));
    expect(first[9]).toEqual({ id: pageId(1, 'tok'), title: labels.more });
    expect(parsePageId(first[9]?.id ?? '')).toEqual({ page: 1, token: 'tok' });
    expect(parseChoiceData(first[9]?.id ?? '')).toBeNull();
    const second = rowsOf(choicesMessage(labels.moreChoices, all, 'tok', labels, 1));
    expect(second.map((r) => r.title)).toEqual(all.slice(9).map((c) => c.label));
  });

  it.each([['pg:x:t'], ['t|pg:1'], ['nothing'], ['pg:1']])('%s is no page id', (id) => {
    expect(parsePageId(id)).toBeNull();
  });
});

describe('rendering a message', () => {
  it('sends a long text in parts of at most 4096, at line ends', () => {
    const text = Array.from({ length: 300 }, (_, i) => `سطر رقم ${i} من نص طويل جدًا`).join('\n');
    const { parts } = renderMessage({ text }, labels);
    expect(parts.length).toBeGreaterThan(1);
    const bodies = parts.map((p) => (p.type === 'text' ? p.text.body : ''));
    for (const body of bodies) expect(body.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(bodies.join('\n')).toBe(text);
  });

  it('puts a text over 1024 before the choices, which follow with a short prompt', () => {
    const text = 'ن'.repeat(INTERACTIVE_BODY_LIMIT + 1);
    const { parts } = renderMessage({ text, choices: choices(2), choiceToken: 't' }, labels);
    expect(parts[0]).toEqual({ type: 'text', text: { body: text, preview_url: false } });
    expect(interactive(parts[1]).body.text).toBe(labels.chooseBelow);
  });

  it('keeps a text of exactly 1024 as the interactive body', () => {
    const text = 'ن'.repeat(INTERACTIVE_BODY_LIMIT);
    const { parts } = renderMessage({ text, choices: choices(2) }, labels);
    expect(parts).toHaveLength(1);
    expect(interactive(parts[0]).body.text).toBe(text);
  });

  it('sends a photo with the text as caption when nothing is to be chosen', () => {
    expect(
      renderMessage({ text: 'صابون', photo: { kind: 'stored', mediaId: 'm' } }, labels, 'wa-media').parts,
    ).toEqual([{ type: 'image', image: { id: 'wa-media', caption: 'صابون' } }]);
    const long = 'ن'.repeat(CAPTION_LIMIT + 1);
    expect(renderMessage({ text: long }, labels, 'wa-media').parts).toEqual([
      { type: 'image', image: { id: 'wa-media' } },
      { type: 'text', text: { body: long, preview_url: false } },
    ]);
  });

  it('sends a photo, then the question with its choices', () => {
    const { parts } = renderMessage(
      { text: 'هل هذه الصورة صحيحة؟', choices: choices(2) },
      labels,
      'wa-media',
    );
    expect(parts[0]).toEqual({ type: 'image', image: { id: 'wa-media' } });
    expect(interactive(parts[1]).body.text).toBe('هل هذه الصورة صحيحة؟');
  });

  it('remembers the choices of a list with several pages, not of one that fits', () => {
    expect(renderMessage({ text: 'اختاري', choices: choices(10) }, labels).paging).toBeUndefined();
    expect(renderMessage({ text: 'اختاري', choices: choices(11), choiceToken: 't' }, labels).paging).toEqual({
      choices: choices(11),
      token: 't',
    });
  });

  it('sends nothing for an empty text without choices', () => {
    expect(renderMessage({ text: '  ' }, labels).parts).toEqual([]);
  });

  it.each<[string, Parameters<typeof renderMessage>[0], string?]>([
    ['a long text', { text: 'سطر طويل من الكلام.\n'.repeat(800) }],
    ['a text just over an interactive body, with choices', { text: 'ب'.repeat(1025), choices: choices(3) }],
    ['long labels', { text: 'اختاري', choices: choices(12, (i) => `${'تعاونية '.repeat(12)}${i}`) }],
    ['a long caption with a photo', { text: 'ص'.repeat(1100) }, 'media.1'],
    ['thirty choices', { text: 'اختاري', choices: choices(30), choiceToken: 't'.repeat(40) }],
  ])('%s stays within what Graph accepts', (_name, message, image) => {
    const { parts } = renderMessage(message, labels, image);
    expect(parts.length).toBeGreaterThan(0);
    for (const part of parts) expect(overLimit(part)).toBeUndefined();
  });
});

describe("the fake Graph's limits", () => {
  const text = (body: string): GraphMessage => ({ type: 'text', text: { body, preview_url: false } });
  const button = (title: string, id = 'tok|a') => ({ type: 'reply' as const, reply: { id, title } });
  const buttons = (...list: ReturnType<typeof button>[]): GraphMessage => ({
    type: 'interactive',
    interactive: { type: 'button', body: { text: 'اختاري' }, action: { buttons: list } },
  });
  const rows = (
    list: { id: string; title: string; description?: string }[],
    body = 'اختاري',
  ): GraphMessage => ({
    type: 'interactive',
    interactive: {
      type: 'list',
      body: { text: body },
      action: { button: 'عرض', sections: [{ rows: list }] },
    },
  });
  const row = { id: 'tok|a', title: 'خيار' };
  it.each<[string, GraphMessage]>([
    ['a text over 4096', text('x'.repeat(4097))],
    ['an interactive body over 1024', rows([row], 'x'.repeat(1025))],
    ['four buttons', buttons(button('a'), button('b'), button('c'), button('d'))],
    ['a button title over 20', buttons(button('x'.repeat(21)))],
    ['a button id over 256 bytes', buttons(button('a', 'ب'.repeat(129)))],
    ['eleven rows', rows(Array.from({ length: 11 }, (_, i) => ({ id: `tok|${i}`, title: `${i}` })))],
    ['a row title over 24', rows([{ ...row, title: 'x'.repeat(25) }])],
    ['a row description over 72', rows([{ ...row, description: 'x'.repeat(73) }])],
  ])('refuses %s', (_name, body) => expect(overLimit(body)).toBeDefined());

  it('answers an over-limit message with 400 and code 131009, as Graph does', async () => {
    const fake = await startFakeGraph();
    try {
      const client = createGraphClient({
        apiRoot: fake.apiRoot,
        token: GRAPH_TOKEN,
        phoneNumberId: PHONE_NUMBER_ID,
      });
      const refused = await client.sendMessage('970599111222', text('x'.repeat(4097))).catch((err) => err);
      expect(refused).toBeInstanceOf(GraphError);
      expect(refused).toMatchObject({ status: 400, errorCode: 131009 });
      expect(fake.rejected).toHaveLength(1);
      expect(fake.sent).toHaveLength(0);
      await expect(client.sendMessage('970599111222', text('x'.repeat(4096)))).resolves.toMatch(/^wamid/);
    } finally {
      await fake.close();
    }
  });
});

describe('clip', () => {
  it.each([
    ['قصير', 20, 'قصير'],
    ['كلمة أخرى ثالثة رابعة خامسة', 20, 'كلمة أخرى ثالثة…'],
    ['👩🏽‍🌾'.repeat(5), 12, '👩🏽‍🌾…'],
  ])('%s within %i → %s', (text, limit, expected) => {
    const clipped = clip(text, limit);
    expect(clipped).toBe(expected);
    expect(clipped.length).toBeLessThanOrEqual(limit);
  });

  it.each(['ar', 'en'] as const)('the %s list button and "more" row fit without clipping', (locale) => {
    const words = whatsappTexts(createI18n({ defaultLocale: 'ar' }))[locale];
    expect(words.listButton.length).toBeLessThanOrEqual(LIST_BUTTON_LIMIT);
    expect(words.more.length).toBeLessThanOrEqual(ROW_TITLE_LIMIT);
  });
});

describe('the 24-hour window', () => {
  const now = new Date('2026-03-01T12:00:00Z');
  it.each([
    [null, false],
    [new Date('2026-03-01T11:00:00Z'), true],
    [new Date('2026-02-28T12:00:01Z'), true],
    [new Date('2026-02-28T12:00:00Z'), false],
    [new Date('2026-02-20T12:00:00Z'), false],
  ])('last wrote %s → inside: %s', (last, inside) => expect(insideWindow(last, now)).toBe(inside));

  it('flattens the text into one template parameter WhatsApp accepts', () => {
    expect(templateParameter('دعوة\n\n  إلى   ورشة\tعمل\nالخميس')).toBe('دعوة · إلى ورشة عمل · الخميس');
    const long = templateParameter('كلمة '.repeat(400));
    expect(long.length).toBeLessThanOrEqual(TEMPLATE_PARAMETER_LIMIT);
    expect(long.endsWith('…')).toBe(true);
    expect(templateMessage({ name: 'taawun_update', language: 'ar' }, 'خبر')).toEqual({
      type: 'template',
      template: {
        name: 'taawun_update',
        language: { code: 'ar' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'خبر' }] }],
      },
    });
  });
});
