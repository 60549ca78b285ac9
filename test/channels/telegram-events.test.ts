import { describe, expect, it } from 'vitest';
import { GOVERNORATES } from '../../src/data/governorates.js';
import { gazaDate } from '../../src/i18n/gaza-time.js';
import { createI18n } from '../../src/i18n/i18n.js';
import { governorateName } from '../../src/services/cooperative-messages.js';
import { createEventService } from '../../src/services/events.js';
import { useCleanups } from '../support/cleanups.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { coordinatorsChat } from '../support/coordinators-chat.js';
import { API, HOUR, workshop } from '../support/events.js';
import { testServiceDeps } from '../support/service-deps.js';
import {
  ADMIN_CHAT,
  COORDINATOR,
  chatPost,
  eventually,
  inlineButtons,
  plain,
  startTelegramApp,
} from '../support/telegram-app.js';

const STRANGER = 7002;
const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const cleanups = useCleanups();
const COORDINATOR_LABEL = `telegram:${COORDINATOR} (Amal Test)`;
const TITLE = 'ورشة التسويق الإلكتروني';
const PLACE = 'مركز شؤون المرأة – بيت لاهيا';
const NORTH_GAZA = governorateName('north-gaza', 'ar');
const label = (field: string) => ar(`adminEvents:labels.${field}`);
/** The date the form's examples give: a week ahead in Gaza, so that copying them works. */
const EXAMPLE_DATE = gazaDate(new Date(), 7);
const inGaza = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Gaza',
  dateStyle: 'short',
  timeStyle: 'short',
});
const problem = (key: string, options: Record<string, unknown> = {}) =>
  `• ${ar(`adminEvents:form.errors.${key}`, options)}`;

async function startEventsApp() {
  const started = await startTelegramApp({ TELEGRAM_RATE_PER_SECOND: '1000' });
  cleanups.push(started.cleanup);
  const { fake, prisma } = started;

  /** A subscriber reachable on Telegram as `userId`, a member of `cooperativeId` if given. */
  async function seedPerson(userId: number, cooperativeId?: string, governorate?: string) {
    const contact = await prisma.contact.create({
      data: {
        subscribed: true,
        governorate,
        consentAt: new Date(),
        channels: { create: { channel: 'telegram', externalId: String(userId), lastInboundAt: new Date() } },
      },
    });
    if (cooperativeId) await seedMembership(prisma, contact.id, cooperativeId);
    return contact.id;
  }

  const { press, reply, postNow, postWith } = coordinatorsChat(fake);

  return { ...started, seedPerson, press, reply, postNow, postWith };
}

describe('events from the coordinators chat', () => {
  it('invites North Gaza’s cooperatives: /event → form → audience → preview → invitations; counts on /events', async () => {
    const { fake, prisma, seedPerson, press, reply, postNow, postWith } = await startEventsApp();
    const north = await seedCooperative(prisma, { name: 'جمعية نساء بيت حانون', joinCode: 'NGZ234' });
    const gaza = await seedCooperative(prisma, {
      name: 'جمعية الزيتون في غزة',
      governorate: 'gaza',
      joinCode: 'GZA567',
    });
    const members = [await seedPerson(810_001, north.id), await seedPerson(810_002, north.id)];
    await seedPerson(820_001, gaza.id);
    await seedPerson(830_001, undefined, 'hebron');

    // Someone who is not a coordinator: nothing is asked, nothing written.
    await fake.sendTextInChat(ADMIN_CHAT, STRANGER, `/event ${TITLE}`);
    await postWith(ar('admin:notCoordinator'));

    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, `/event ${TITLE}`);
    const ask = await postWith(ar('adminEvents:ask.titled', { title: TITLE }));

    // A form with mistakes: each named by its line; nothing is written, and the question still takes replies.
    const bad = await reply(ask, `المكان: ${PLACE}\nالموعد: 2099-13-05 10:00\nالسعة: كثير\nأهلًا بالجميع`);
    expect(plain(bad.text).split('\n')).toEqual(
      [
        ar('adminEvents:form.problems'),
        problem('unknownLine', { line: 'أهلًا بالجميع' }),
        problem('timeInvalid', { label: label('start'), date: EXAMPLE_DATE }),
        problem('missingEnd'),
        problem('capacityInvalid', { label: label('capacity') }),
        '',
        ar('adminEvents:form.retry'),
      ].map(plain),
    );
    expect(await prisma.event.count()).toBe(0);

    // Arabic-Indic digits, a duration instead of the end, Gaza time (UTC+2 in December).
    const card = await reply(
      ask,
      `المكان: ${PLACE}\nالموعد: ٢٠٩٩-١٢-٠٥ ١٠:٠٠\nالمدة: ساعتان\nالسعة: ٣٠\nالوصف: لقاء تدريبي\nلعضوات الجمعيات`,
    );
    expect(plain(card.text)).toContain(ar('adminEvents:card.chooseAudience'));
    expect(plain(card.text)).toContain(PLACE);
    const draft = await prisma.event.findFirstOrThrow();
    expect(draft).toMatchObject({
      title: TITLE,
      place: PLACE,
      description: 'لقاء تدريبي\nلعضوات الجمعيات',
      startsAt: new Date('2099-12-05T08:00:00Z'),
      endsAt: new Date('2099-12-05T10:00:00Z'),
      capacity: 30,
      status: 'DRAFT',
      audience: {},
    });
    // The question is answered: another reply is pointed to the card, not made a second draft.
    const again = await reply(ask, `المكان: ${PLACE}\nالموعد: 2099-12-06 10:00\nالمدة: ساعة`);
    expect(plain(again.text)).toBe(plain(ar('adminEvents:form.drafted')));
    expect(await prisma.event.count()).toBe(1);

    // A non-coordinator's press changes nothing.
    expect(await press(card, ar('broadcasts:audience.governorates'), STRANGER)).toBe(
      ar('admin:notCoordinator'),
    );
    expect(await prisma.event.findFirstOrThrow()).toMatchObject({ audience: {} });

    // A preview for one cooperative, then the card moves on to North Gaza: the first preview is stale.
    await press(card, ar('broadcasts:audience.cooperative'));
    const askCooperative = await postWith(ar('broadcasts:chat.askCooperative'));
    const cooperativePreview = await reply(askCooperative, 'GZA567');
    expect(plain(cooperativePreview.text)).toContain(ar('adminEvents:card.willInvite', { count: 1 }));
    await press(card, ar('broadcasts:audience.governorates'));
    await postNow(card, ar('broadcasts:chat.chooseGovernorates'));
    await press(card, NORTH_GAZA);
    await chatPost(
      fake,
      (m) => m.message_id === card.message_id && inlineButtons(m).some((b) => b.text === `✅ ${NORTH_GAZA}`),
    );
    await press(card, ar('broadcasts:chat.governoratesDone'));
    const preview = await postNow(card, ar('broadcasts:chat.preview'));
    expect(plain(preview.text)).toContain(ar('adminEvents:card.willInvite', { count: 2 }));
    expect(plain(preview.text)).toContain(TITLE);
    expect(inlineButtons(preview).map((b) => b.text)).toEqual([
      ar('adminEvents:card.invite'),
      ar('broadcasts:chat.changeAudience'),
      ar('broadcasts:chat.cancel'),
    ]);

    expect(await press(cooperativePreview, ar('adminEvents:card.invite'))).toBe(
      ar('adminEvents:errors.audienceChanged'),
    );
    expect(await prisma.event.findFirstOrThrow()).toMatchObject({ status: 'DRAFT' });
    expect(await prisma.invitation.count()).toBe(0);
    expect(await press(preview, ar('adminEvents:card.invite'), STRANGER)).toBe(ar('admin:notCoordinator'));
    expect(await prisma.invitation.count()).toBe(0);

    const invited = await press(preview, ar('adminEvents:card.invite'));
    expect(plain(invited)).toBe(plain(ar('adminEvents:card.invited', { count: 2, by: COORDINATOR_LABEL })));
    expect(inlineButtons(await postNow(card, invited))).toHaveLength(0);
    const event = await prisma.event.findFirstOrThrow();
    expect(event).toMatchObject({
      status: 'OPEN',
      audience: { kind: 'governorates', slugs: ['north-gaza'] },
    });
    const invitations = await prisma.invitation.findMany({ where: { eventId: event.id } });
    expect(invitations.map((i) => i.contactId).sort()).toEqual([...members].sort());
    const outbox = await prisma.outboxMessage.findMany({
      where: { kind: 'invitation' },
      include: { contactChannel: true },
    });
    expect(outbox.map((r) => r.contactChannel?.externalId).sort()).toEqual(['810001', '810002']);
    for (const id of [810_001, 810_002]) {
      const [received] = await eventually(() =>
        fake.messagesTo(id).length ? fake.messagesTo(id) : undefined,
      );
      expect(plain(received?.text)).toContain(TITLE);
    }
    for (const id of [820_001, 830_001]) expect(fake.messagesTo(id)).toHaveLength(0);
    // Pressing the stale preview again now finds an open event, not a draft.
    expect(await press(cooperativePreview, ar('adminEvents:card.invite'))).toBe(
      ar('adminEvents:errors.not_draft'),
    );
    expect(plain((await reply(ask, `المكان: ${PLACE}\nالموعد: 2099-12-06 10:00\nالمدة: ساعة`)).text)).toBe(
      plain(ar('adminEvents:form.invited')),
    );
    expect(await prisma.event.count()).toBe(1);

    // The members answer; /events shows the counts by answer and by governorate, and refreshes.
    const events = createEventService(prisma, testServiceDeps());
    const [first = '', second = ''] = members;
    await events.respond(first, event.id, 'YES', new Date());
    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/events');
    const list = await postWith(ar('adminEvents:list.title'));
    const counts = (yes: number, no: number, pending: number) =>
      plain(ar('events:summary.counts', { yes, maybe: 0, no, pending }));
    expect(plain(list.text)).toContain(plain(ar('events:summary.title', { title: TITLE })));
    expect(plain(list.text)).toContain(counts(1, 0, 1));
    expect(plain(list.text)).toContain(`• ${NORTH_GAZA}: ${counts(1, 0, 1)}`);

    await events.respond(second, event.id, 'NO', new Date());
    await press(list, ar('adminEvents:list.refresh'));
    const refreshed = await postNow(list, counts(1, 1, 0));
    expect(plain(refreshed.text)).toContain(`• ${NORTH_GAZA}: ${counts(1, 1, 0)}`);
  });

  it('takes the whole form with the command, English labels too, and cancels a draft', async () => {
    const { fake, prisma, press, reply, postWith } = await startEventsApp();
    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, `/event ${'و'.repeat(121)}`);
    await postWith(ar('adminEvents:form.errors.tooLong', { label: label('title'), count: 120 }));

    await fake.sendTextInChat(
      ADMIN_CHAT,
      COORDINATOR,
      `/event\nTitle: ${TITLE}\nPlace: ${PLACE}\nStart: 2099-06-01 09:30\nEnd: 2099-06-01 09:00`,
    );
    await postWith(problem('endBeforeStart', { label: label('end') }));
    const ask = await postWith(ar('adminEvents:ask.new'));
    expect(plain(ask.text)).toContain(ar('adminEvents:ask.titleLine'));
    expect(await prisma.event.count()).toBe(0);

    const example = ar('adminEvents:ask.example', { date: EXAMPLE_DATE });
    expect(plain(ask.text)).toContain(plain(example));
    const card = await reply(ask, `${ar('adminEvents:ask.titleLine')}\n${example}`);
    expect(plain(card.text)).toContain(ar('adminEvents:card.chooseAudience'));
    // The question's own example is a form that works as it is; "12:00" ends on the start's day.
    const drafted = await prisma.event.findFirstOrThrow();
    expect(drafted).toMatchObject({ capacity: 30, status: 'DRAFT' });
    expect(inGaza.format(drafted.startsAt)).toBe(`${EXAMPLE_DATE} 10:00`);
    expect(inGaza.format(drafted.endsAt)).toBe(`${EXAMPLE_DATE} 12:00`);
    const cancelled = await press(card, ar('broadcasts:chat.cancel'));
    expect(plain(cancelled)).toBe(plain(ar('adminEvents:card.cancelled', { by: COORDINATOR_LABEL })));
    expect(await prisma.event.findFirstOrThrow()).toMatchObject({ status: 'CANCELLED' });
    expect(await prisma.invitation.count()).toBe(0);

    // Cancelling the draft frees the question: a corrected form makes a new draft.
    const corrected = await reply(
      ask,
      `Title: ${TITLE}\nPlace: ${PLACE}\nStart: 2099-06-01 09:30\nDuration: 2h`,
    );
    expect(plain(corrected.text)).toContain(ar('adminEvents:card.chooseAudience'));
    expect(await prisma.event.findMany({ select: { status: true }, orderBy: { createdAt: 'asc' } })).toEqual([
      { status: 'CANCELLED' },
      { status: 'DRAFT' },
    ]);
  });

  it('keeps /events and its refresh one Telegram message, however many events and governorates', async () => {
    const { fake, prisma, seedPerson, press, postWith } = await startEventsApp();
    // Someone in every governorate, invited to eight long-titled events: far beyond 4 096 characters.
    for (const [i, g] of GOVERNORATES.entries()) await seedPerson(840_000 + i, undefined, g.slug);
    const events = createEventService(prisma, testServiceDeps());
    const now = new Date();
    const titles = Array.from({ length: 8 }, (_, i) => `${i + 1} ${'ورشة طويلة العنوان '.repeat(6)}`.trim());
    for (const [i, title] of titles.entries()) {
      const event = await events.create(workshop(new Date(now.getTime() + i * HOUR), { title }), API, now);
      await events.invite(event.id, API, now);
    }

    await fake.sendTextInChat(ADMIN_CHAT, COORDINATOR, '/events');
    const list = await postWith(ar('adminEvents:list.title'));
    const text = list.text ?? '';
    expect(text.length).toBeLessThanOrEqual(4096);
    // Soonest first, the rest counted; the whole list in one post, its footer included.
    const shown = titles.filter((title) => text.includes(title)).length;
    expect(shown).toBeGreaterThan(0);
    expect(titles.slice(0, shown).every((title) => text.includes(title))).toBe(true);
    expect(plain(text)).toContain(plain(ar('adminEvents:list.more', { count: titles.length - shown })));
    expect(plain(text)).toContain(plain(ar('adminEvents:list.asOf', { at: '' })).trim());

    const edits = fake.callsTo('editMessageText').length;
    await press(list, ar('adminEvents:list.refresh'));
    const [edit] = (await fake.waitForCalls('editMessageText', edits + 1)).slice(edits);
    expect(edit?.params.message_id).toBe(list.message_id);
    expect(String(edit?.params.text).length).toBeLessThanOrEqual(4096);
  });
});
