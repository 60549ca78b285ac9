import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n/i18n.js';
import { createServices } from '../../src/services/index.js';
import {
  CHANNEL_DRIVERS,
  type ChannelDriver,
  type ChannelSession,
  channelSessions,
} from '../support/channel-drivers.js';
import { seedCooperative, seedMembership } from '../support/cooperatives.js';
import { API, HOUR, invitationOf, workshop } from '../support/events.js';
import { arrived } from '../support/notices.js';
import { onboardChatUser } from '../support/onboarding.js';
import { testServiceDeps } from '../support/service-deps.js';
import { plain } from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');
const plainText = (replies: { text: string }[]) => plain(texts(replies));
const TITLE = 'ورشة التسويق الرقمي';

/** She wants news; a workshop in three days is created for everyone who does, and invited. */
async function invited(she: ChannelSession, description?: string) {
  const contactId = await she.contactId();
  await she.prisma.contact.update({ where: { id: contactId }, data: { subscribed: true } });
  const { events } = createServices(she.prisma, testServiceDeps());
  const now = new Date();
  const event = await events.create(workshop(now, { title: TITLE, description }), API, now);
  const since = she.received().length;
  await events.invite(event.id, API, now);
  const invitation = await arrived(she, ar('events:invitation.title'), since);
  const answerOf = async () => (await invitationOf(she.prisma, event.id, contactId)).response;
  return { invitation, answerOf };
}

/** She held a place at a workshop that ended an hour ago; its feedback notice reached her. */
async function attended(she: ChannelSession) {
  const contactId = await she.contactId();
  await she.prisma.contact.update({ where: { id: contactId }, data: { subscribed: true } });
  const { events } = createServices(she.prisma, testServiceDeps());
  const then = new Date(Date.now() - 76 * HOUR);
  const event = await events.create(workshop(then, { title: TITLE }), API, then);
  await events.invite(event.id, API, then);
  await events.respond(contactId, event.id, 'YES', then);
  const since = she.received().length;
  const notice = await arrived(she, ar('events:menu'), since);
  const scoreOf = async () => (await invitationOf(she.prisma, event.id, contactId)).feedbackScore;
  return { notice, scoreOf };
}

/**
 * The notices that carry buttons (issue 5): what reaches her, the choices on it, the one she presses,
 * what she is told, and what is then recorded.
 */
const NOTICES = [
  {
    name: 'an invitation',
    /** `long`: a description that makes the text near a template's limit. */
    arrive: async (she: ChannelSession, long = false) => {
      const { invitation, answerOf } = await invited(
        she,
        long ? 'تفاصيل الورشة '.repeat(70).trim() : undefined,
      );
      return { notice: invitation, recorded: answerOf };
    },
    choices: [ar('events:answer.yes'), ar('events:answer.maybe'), ar('events:answer.no')],
    press: ar('events:answer.yes'),
    told: ar('events:answer.saved.YES'),
    recorded: 'YES',
  },
  {
    name: 'a feedback notice',
    arrive: async (she: ChannelSession) => {
      const { notice, scoreOf } = await attended(she);
      return { notice, recorded: scoreOf };
    },
    choices: [1, 2, 3, 4, 5].map((score) => ar('events:feedback.button', { score })),
    press: ar('events:feedback.button', { score: 4 }),
    told: ar('events:feedback.rated', { title: TITLE, score: 4 }),
    recorded: 4,
  },
];

describe.each(NOTICES)('$name, on every channel', (kind) => {
  describe.each(CHANNEL_DRIVERS)('on $name', (driver) => {
    const start = channelSessions(driver);

    it("carries its choices within the channel's limits; her press is recorded and her menu comes back", async () => {
      const she = await start();
      await onboardChatUser(she);
      const { notice, recorded } = await kind.arrive(she);
      expect(notice.text).toContain(TITLE);
      expect(notice.text).toContain(ar('events:menu'));
      expect(notice.choices).toEqual(kind.choices);

      const replies = await she.press(kind.press);
      expect(plainText(replies)).toContain(plain(kind.told));
      expect(texts(replies)).not.toContain(ar('engine:staleButton'));
      expect(replies.at(-1)?.choices).toContain(ar('events:menu'));
      expect(await recorded()).toBe(kind.recorded);
    });
  });

  describe('on WhatsApp Cloud outside the 24-hour window', () => {
    const cloud = CHANNEL_DRIVERS.find((d) => d.channel === 'whatsapp-cloud') as ChannelDriver;
    const start = channelSessions(cloud);

    it('goes by template without buttons, still saying to answer from "my events"', async () => {
      const she = await start({ WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update' });
      await onboardChatUser(she);
      await she.prisma.contactChannel.updateMany({
        data: { lastInboundAt: new Date(Date.now() - 48 * HOUR) },
      });
      const { notice } = await kind.arrive(she, true);
      expect(notice.template).toBe('taawun_update');
      expect(notice.choices).toEqual([]);
      expect(notice.text).toContain(TITLE);
      expect(notice.text).toContain(ar('events:menu'));
    });
  });
});

describe('an invitation on WhatsApp Web', () => {
  const webJs = CHANNEL_DRIVERS.find((d) => d.channel === 'whatsapp-web') as ChannelDriver;
  const start = channelSessions(webJs);

  it('takes a typed number as her answer only while the invitation is the last menu she saw', async () => {
    const she = await start();
    await onboardChatUser(she);
    const { answerOf } = await invited(she);
    await she.say('القائمة');
    // "3" now names a line of the menu just shown, not the invitation's "3) ✖️ أعتذر".
    const replies = await she.press(ar('events:answer.no'));
    expect(texts(replies)).not.toContain(ar('events:answer.saved.NO'));
    expect(await answerOf()).toBeNull();

    const again = await invited(she);
    expect(texts(await she.press(ar('events:answer.maybe')))).toContain(ar('events:answer.saved.MAYBE'));
    expect(await again.answerOf()).toBe('MAYBE');
  });

  it('leaves a number typed at a step that asks for one to that step, invitation or not', async () => {
    const she = await start();
    await onboardChatUser(she);
    const cooperative = await seedCooperative(she.prisma);
    await seedMembership(she.prisma, await she.contactId(), cooperative.id);
    const p = (key: string) => ar(`products:${key}`);
    await she.say('القائمة');
    await she.press(p('menu.post'));
    await she.press(p('fields.photos.skip'));
    await she.say('زيت زيتون بلدي');
    await she.press(p('categories.food'));
    const priceQuestion = await she.say('عصرة أولى من أشجار بيت حانون');
    expect(texts(priceQuestion)).toContain(p('fields.price.prompt'));
    const { answerOf } = await invited(she);

    // "3" is the invitation's "3) ✖️ أعتذر" too, but she was asked for a price.
    const replies = await she.say('3');
    expect(texts(replies)).not.toContain(ar('events:answer.saved.NO'));
    expect(replies.at(-1)?.choices).toContain(p('units.litre'));
    expect(await answerOf()).toBeNull();
    const conversation = await she.prisma.conversation.findFirstOrThrow({
      where: { contactChannel: { contactId: await she.contactId() } },
    });
    expect(conversation.data).toMatchObject({ values: { priceMinor: 300, currency: 'ILS' } });
  });
});
