import { describe, expect, it } from 'vitest';
import { MAX_BUTTONS, MAX_ROWS } from '../../src/channels/whatsapp-cloud/render.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { useCleanups } from '../support/cleanups.js';
import { onboardChatUser } from '../support/onboarding.js';
import { largeJpeg, PHOTOS } from '../support/photos.js';
import { eventually, plain } from '../support/telegram-app.js';
import {
  buttonsOf,
  listOf,
  shownText,
  startWhatsAppCloudApp,
  whatsappUser,
} from '../support/whatsapp-cloud-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const cleanups = useCleanups();
const AMAL = '970599111222';

async function started() {
  const started = await startWhatsAppCloudApp();
  cleanups.push(started.cleanup);
  return started;
}

describe('WhatsApp Cloud through the engine', () => {
  it('onboards her in Arabic with reply buttons, lists and a typed number, keeping her WhatsApp name', async () => {
    const { fake, prisma } = await started();
    const amal = whatsappUser(fake, AMAL, 'أمل');

    const welcome = await amal.say('مرحبا');
    expect(shownText(welcome)).toBe(plain(ar('onboarding:welcome.text')));
    const conversation = await prisma.conversation.findFirstOrThrow();
    expect(buttonsOf(welcome)).toEqual([
      { id: `${conversation.stepToken}|continue`, title: ar('onboarding:welcome.continue') },
      { id: `${conversation.stepToken}|switch`, title: ar('onboarding:welcome.switchLanguage') },
    ]);

    // Two choices and back / menu: four, so a list.
    const consent = await amal.press(ar('onboarding:welcome.continue'));
    expect(shownText(consent)).toBe(plain(ar('onboarding:consent.text')));
    expect(listOf(consent)).toEqual({
      button: ar('whatsapp:listButton'),
      rows: [
        expect.objectContaining({ title: ar('onboarding:consent.agree') }),
        expect.objectContaining({ title: ar('onboarding:consent.decline') }),
        expect.objectContaining({ title: ar('engine:nav.back') }),
        expect.objectContaining({ title: ar('engine:nav.menu') }),
      ],
    });

    // The choices are not numbered on screen, but a number typed in Arabic-Indic digits still counts.
    const persona = await amal.say('١');
    expect(shownText(persona)).toBe(plain(ar('onboarding:persona.text')));
    await amal.press(ar('onboarding:persona.member'));
    const menu = await amal.press(ar('onboarding:news.no'));
    expect(shownText(menu)).toBe(plain(ar('menu:title')));
    expect(listOf(menu)?.rows.length).toBeGreaterThan(MAX_BUTTONS);

    const address = await prisma.contactChannel.findFirstOrThrow({ include: { contact: true } });
    expect(address).toMatchObject({ channel: 'whatsapp-cloud', externalId: AMAL });
    expect(address.lastInboundAt).toBeInstanceOf(Date);
    expect(address.contact).toMatchObject({ displayName: 'أمل', persona: 'MEMBER', subscribed: false });
    expect(address.contact.consentAt).toBeInstanceOf(Date);
  });

  it('answers a press on an old button with the current question', async () => {
    const { fake } = await started();
    const amal = whatsappUser(fake, AMAL);
    const welcome = await amal.say('مرحبا');
    await amal.press(ar('onboarding:welcome.continue'));
    const old = buttonsOf(welcome)[0];
    const before = amal.sent();
    await fake.pressButton(AMAL, old?.id ?? '', old?.title ?? '');
    await fake.waitForMessages(AMAL, before + 2);
    expect(amal.textsSince(before)).toEqual([
      plain(ar('engine:staleButton')),
      plain(ar('onboarding:consent.text')),
    ]);
  });

  it('pages a long list: nine rows and "more", the next page on request, an old "more" answered', async () => {
    const { fake } = await started();
    const lead = whatsappUser(fake, AMAL);
    await onboardChatUser(lead);
    await lead.press(ar('cooperatives:menu.register'));
    await lead.say('جمعية سيدات خان يونس');
    const governorates = await lead.press(ar('cooperatives:legalForms.COOPERATIVE'));
    const first = listOf(governorates)?.rows ?? [];
    expect(first).toHaveLength(MAX_ROWS);
    expect(first[0]?.title).toBe('شمال غزة');
    expect(first.at(-1)?.title).toBe(ar('whatsapp:more'));

    // WhatsApp delivers the press twice: one page.
    const more = first.at(-1);
    const press = fake.incoming(AMAL, {
      type: 'interactive',
      interactive: { type: 'list_reply', list_reply: { id: more?.id, title: more?.title } },
    });
    const pages = lead.sent();
    expect(await fake.deliver(press.payload)).toBe(200);
    expect(await fake.deliver(press.payload)).toBe(200);
    const [second] = (await fake.waitForMessages(AMAL, pages + 1)).slice(pages);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lead.sent()).toBe(pages + 1);
    expect(shownText(second)).toBe(plain(ar('whatsapp:moreChoices')));
    const rows = listOf(second)?.rows.map((r) => r.title);
    expect(rows).toEqual([
      'قلقيلية',
      'سلفيت',
      'رام الله والبيرة',
      'أريحا والأغوار',
      'القدس',
      'بيت لحم',
      'الخليل',
      ar('engine:nav.back'),
      ar('engine:nav.menu'),
    ]);

    const locality = await lead.press('الخليل');
    expect(shownText(locality)).toBe(plain(ar('cooperatives:fields.locality.prompt')));
    const before = lead.sent();
    await fake.pressRow(AMAL, more?.id ?? '', more?.title ?? '');
    await fake.waitForMessages(AMAL, before + 1);
    expect(lead.textsSince(before)).toEqual([plain(ar('whatsapp:staleButton'))]);
  });

  it('sends a reply without its photo when the upload fails, rather than losing it', async () => {
    const { fake, app } = await started();
    const stored = await app.taawun.media.put(PHOTOS.jpeg);
    if (!stored.ok) throw new Error('the fixture photo was refused');
    fake.failNext('upload', 1, { status: 500, code: 131000, message: 'Something went wrong' });
    await app.taawun.whatsappCloud?.sink.deliver(AMAL, [
      { text: 'صابون زيت الزيتون', photo: { kind: 'stored', mediaId: stored.media.id } },
    ]);
    expect(fake.callsTo('/media')).toHaveLength(1);
    expect(fake.messagesTo(AMAL).map((m) => m.body)).toEqual([
      expect.objectContaining({ type: 'text', text: { body: 'صابون زيت الزيتون', preview_url: false } }),
    ]);
  });

  it('drops a message WhatsApp delivers twice', async () => {
    const { fake, prisma, app } = await started();
    const { payload } = fake.incoming(AMAL, { type: 'text', text: { body: 'مرحبا' } });
    expect(await fake.deliver(payload)).toBe(200);
    expect(await fake.deliver(payload)).toBe(200);
    await fake.waitForMessages(AMAL, 1);
    await app.taawun.router.drain();
    expect(await prisma.inboundEvent.count()).toBe(1);
    expect(fake.messagesTo(AMAL)).toHaveLength(1);
  });

  it('keeps a photo she sends, downloaded through the media endpoint with the token', async () => {
    const { fake, prisma } = await started();
    fake.addMedia('media.in.7', PHOTOS.jpeg, 'image/jpeg');
    const { status } = await fake.sendImage(AMAL, 'media.in.7', 'زيت زيتون');
    expect(status).toBe(200);
    const media = await eventually(() => prisma.media.findFirst().then((m) => m ?? undefined));
    expect(media).toMatchObject({ mime: 'image/jpeg', size: PHOTOS.jpeg.length });
    expect(fake.callsTo('/v21.0/media.in.7')).toHaveLength(1);
    expect(fake.callsTo('/files/media.in.7')).toHaveLength(1);
    // The fake serves metadata and file only with the bearer token: the stored row proves both calls had it.
  });

  it('refuses a photo over 5 MB without downloading it, and says why', async () => {
    const { fake, prisma } = await started();
    const amal = whatsappUser(fake, AMAL);
    await amal.say('مرحبا');
    fake.addMedia('media.in.big', largeJpeg(), 'image/jpeg');
    await fake.sendImage(AMAL, 'media.in.big');
    await amal.receives(ar('engine:unsupported.photo_size'));
    expect(fake.callsTo('/v21.0/media.in.big')).toHaveLength(1);
    expect(fake.callsTo('/files/media.in.big')).toHaveLength(0);
    expect(await prisma.media.count()).toBe(0);
  });

  it('answers a voice note or a sticker with what it can read', async () => {
    const { fake } = await started();
    const amal = whatsappUser(fake, AMAL);
    await amal.say('مرحبا');
    await fake.sendOther(AMAL, 'sticker', { id: 'sticker-1', mime_type: 'image/webp', animated: false });
    await amal.receives(ar('engine:unsupported.message_type'));
    const since = amal.sent();
    await fake.sendOther(AMAL, 'audio', { id: 'voice-1', mime_type: 'audio/ogg; codecs=opus', voice: true });
    await amal.receives(ar('engine:unsupported.message_type'), since);
  });
});
