import { describe, expect, it, vi } from 'vitest';
import type { InboundMessage } from '../../src/core/message.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { useCleanups } from '../support/cleanups.js';
import { startWhatsAppWebApp, whatsappWebUser } from '../support/fake-whatsapp-web.js';
import { PHOTOS } from '../support/photos.js';
import { eventually } from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const SALMA = '970599123456@c.us';
/** A privacy id: WhatsApp tells no phone number with it. */
const HIDDEN = '201234567890123@lid';

/** The menu lines under a question, as she reads them. */
const menu = (...labels: string[]) => labels.map((label, i) => `${i + 1}) ${label}`).join('\n');
const navWords = `${ar('whatsapp-web:orType')} ${ar('engine:nav.back')} · ${ar('engine:nav.menu')}`;

describe('WhatsApp Web through the whole app', () => {
  const cleanups = useCleanups();
  /** The app on the fake, and what the adapter handed to the router (stored payloads are emptied once handled). */
  const start = async () => {
    const started = await startWhatsAppWebApp();
    cleanups.push(started.cleanup);
    const accept = vi.spyOn(started.app.taawun.router, 'accept');
    const accepted = (chatId: string): InboundMessage[] =>
      accept.mock.calls.map(([msg]) => msg).filter((msg) => msg.externalUserId === chatId);
    return { ...started, accept, accepted };
  };

  it('onboards a member in Arabic: numbered menus answered by number in any digits, by label, by keyword', async () => {
    const { fake, prisma, accepted } = await start();
    const salma = whatsappWebUser(fake, SALMA);

    const [welcome] = await salma.say('مرحبا');
    expect(welcome?.text).toBe(
      `${ar('onboarding:welcome.text')}\n\n${menu(ar('onboarding:welcome.continue'), ar('onboarding:welcome.switchLanguage'))}`,
    );

    const consent = await salma.say('١');
    expect(consent.map((m) => m.text)).toEqual([
      `${ar('onboarding:consent.text')}\n\n${menu(ar('onboarding:consent.agree'), ar('onboarding:consent.decline'))}\n\n${navWords}`,
    ]);

    const persona = await salma.say(ar('onboarding:consent.agree'));
    expect(persona.at(-1)?.text).toContain(
      menu(ar('onboarding:persona.member'), ar('onboarding:persona.buyer')),
    );

    const back = await salma.say('رجوع');
    expect(back.at(-1)?.text.startsWith(ar('onboarding:consent.text'))).toBe(true);
    await salma.say('نعم');

    const news = await salma.say('۱');
    expect(news.at(-1)?.text.startsWith(ar('onboarding:news.text'))).toBe(true);
    const done = await salma.say('لا');
    expect(done.map((m) => m.text.split('\n')[0])).toEqual([
      ar('onboarding:news.notSubscribed'),
      ar('menu:title'),
    ]);

    const address = await prisma.contactChannel.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'whatsapp-web', externalId: SALMA } },
      include: { contact: true },
    });
    expect(address.contact).toMatchObject({ persona: 'MEMBER', displayName: 'سلمى', subscribed: false });
    expect(address.contact.consentAt).not.toBeNull();
    const [first] = accepted(SALMA);
    expect(first?.profile).toEqual({ phone: '+970599123456', name: 'سلمى' });
    expect(fake.sent.every((m) => m.chatId === SALMA)).toBe(true);
  });

  it('keys a @lid contact by its id and never gives it a phone', async () => {
    const { fake, prisma, accepted } = await start();
    const [welcome] = await whatsappWebUser(fake, HIDDEN).say('hello');
    expect(welcome?.text.startsWith(ar('onboarding:welcome.text'))).toBe(true);
    const [inbound] = accepted(HIDDEN);
    expect(inbound?.profile).toEqual({ name: 'سلمى' });
    const address = await prisma.contactChannel.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'whatsapp-web', externalId: HIDDEN } },
      include: { contact: true },
    });
    expect(address.contact.phone).toBeNull();
  });

  it('keys a @lid contact by her phone chat when WhatsApp tells it, so she stays one contact', async () => {
    const { fake, prisma, accepted } = await start();
    fake.revealPhone(HIDDEN, '970599765432@c.us');
    const replies = await whatsappWebUser(fake, '970599765432@c.us').act(() => fake.say(HIDDEN, 'مرحبا'));
    expect(replies[0]?.text.startsWith(ar('onboarding:welcome.text'))).toBe(true);
    const [inbound] = accepted('970599765432@c.us');
    expect(inbound?.profile).toEqual({ phone: '+970599765432', name: 'سلمى' });
    const addresses = await prisma.contactChannel.findMany({ where: { channel: 'whatsapp-web' } });
    expect(addresses.map((a) => a.externalId)).toEqual(['970599765432@c.us']);
    expect(fake.sentTo(HIDDEN)).toEqual([]);
  });

  it('keeps one chat’s messages in order without letting a stuck or broken one hold the others back', async () => {
    const { fake, accepted } = await start();
    const stuck = '970599000002@c.us';
    fake.receive(stuck, { type: 'chat', body: 'مرحبا', getContact: () => new Promise(() => undefined) });
    const asked = Date.now();
    await whatsappWebUser(fake, SALMA).say('مرحبا');
    expect(Date.now() - asked).toBeLessThan(1_500);

    // A message the adapter cannot even read is logged; her next one is answered.
    fake.receive(SALMA, { id: undefined as unknown as { _serialized: string }, type: 'chat', body: '١' });
    const [consent] = await whatsappWebUser(fake, SALMA).say('١');
    expect(consent?.text.startsWith(ar('onboarding:consent.text'))).toBe(true);
    await eventually(() => (accepted(stuck).length ? true : undefined));
    expect(accepted(stuck)[0]?.profile).toEqual({ phone: '+970599000002' });
  });

  it('ignores groups, status updates, channels, broadcasts and its own messages', async () => {
    const { fake, prisma, accept } = await start();
    fake.say('120363025246125486@g.us', 'مرحبا');
    fake.receive('status@broadcast', { body: 'صباح الخير', isStatus: true });
    fake.say('120363199999999999@newsletter', 'خبر');
    fake.receive(SALMA, { body: 'رسالة من الرقم نفسه', fromMe: true });
    fake.receive('970599000001@c.us', { body: 'to a list', broadcast: true });
    await whatsappWebUser(fake, SALMA).say('مرحبا');
    expect(accept.mock.calls.map(([msg]) => msg.externalUserId)).toEqual([SALMA]);
    expect(await prisma.inboundEvent.count({ where: { channel: 'whatsapp-web' } })).toBe(1);
    expect(new Set(fake.sent.map((m) => m.chatId))).toEqual(new Set([SALMA]));
  });

  it('keeps the photos people send and tells them what it cannot read', async () => {
    const { fake, prisma, accepted } = await start();
    const salma = whatsappWebUser(fake, SALMA);
    await salma.say('مرحبا');
    let photo: ReturnType<typeof fake.sendPhoto> | undefined;
    await salma.act(() => {
      photo = fake.sendPhoto(SALMA, PHOTOS.jpeg, 'زيت زيتون');
    });
    const stored = await prisma.media.findFirstOrThrow();
    expect(stored).toMatchObject({ mime: 'image/jpeg', size: PHOTOS.jpeg.length });
    const [, inbound] = accepted(SALMA);
    expect(inbound?.content).toEqual({
      kind: 'photo',
      media: { kind: 'channel', channel: 'whatsapp-web', fileId: photo?.id._serialized },
      caption: 'زيت زيتون',
    });

    const replies = await salma.act(() => fake.receive(SALMA, { type: 'ptt' }));
    expect(replies[0]?.text).toBe(ar('engine:unsupported.message_type'));
  });

  it('reports the connection in /health', async () => {
    const { app } = await start();
    const health = await fetch(`${app.baseUrl}/health`).then((res) => res.json());
    expect(health.channels.whatsappWeb).toBe('ready');
  });
});
