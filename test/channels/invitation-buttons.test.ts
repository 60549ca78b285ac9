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
import { API, HOUR, workshop } from '../support/events.js';
import { onboardChatUser } from '../support/onboarding.js';
import { testServiceDeps } from '../support/service-deps.js';
import { eventually } from '../support/telegram-app.js';

const ar = createI18n({ defaultLocale: 'ar' }).translator('ar');
const texts = (replies: { text: string }[]) => replies.map((r) => r.text).join('\n');
const TITLE = 'ورشة التسويق الرقمي';

/**
 * The notice containing `text` (after the first `since` she received), once it reached her: queued notices are woken until then, since the
 * channel's pacing holds one back a second after the replies of her onboarding.
 */
async function arrived(she: ChannelSession, text: string, since: number) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await she.flush();
    const found = await eventually(
      () =>
        she
          .received()
          .slice(since)
          .findLast((r) => r.text.includes(text)),
      500,
    ).catch(() => undefined);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no notice with "${text}" reached her`);
  }
}

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
  const answerOf = async () =>
    (
      await she.prisma.invitation.findUniqueOrThrow({
        where: { eventId_contactId: { eventId: event.id, contactId } },
      })
    ).response;
  return { invitation, answerOf };
}

/** Issue 5: the invitation carries attend / maybe / decline, and pressing one records her answer. */
describe.each(CHANNEL_DRIVERS)('an invitation on $name', (driver) => {
  const start = channelSessions(driver);

  it('offers attend / maybe / decline; her press records the answer and her menu comes back', async () => {
    const she = await start();
    await onboardChatUser(she);
    const { invitation, answerOf } = await invited(she);
    expect(invitation.text).toContain(TITLE);
    expect(invitation.text).toContain(ar('events:invitation.howTo'));
    expect(invitation.choices).toEqual([
      ar('events:answer.yes'),
      ar('events:answer.maybe'),
      ar('events:answer.no'),
    ]);

    const replies = await she.press(ar('events:answer.yes'));
    expect(texts(replies)).toContain(ar('events:answer.saved.YES'));
    expect(texts(replies)).not.toContain(ar('engine:staleButton'));
    expect(replies.at(-1)?.choices).toContain(ar('events:menu'));
    expect(await answerOf()).toBe('YES');
  });
});

describe('an invitation on WhatsApp Cloud outside the 24-hour window', () => {
  const cloud = CHANNEL_DRIVERS.find((d) => d.channel === 'whatsapp-cloud') as ChannelDriver;
  const start = channelSessions(cloud);

  it('goes by template without buttons, still saying how to answer from "my events"', async () => {
    const she = await start({ WHATSAPP_CLOUD_TEMPLATE_NAME: 'taawun_update' });
    await onboardChatUser(she);
    await she.prisma.contactChannel.updateMany({ data: { lastInboundAt: new Date(Date.now() - 48 * HOUR) } });
    const { invitation } = await invited(she, 'تفاصيل الورشة '.repeat(70).trim());
    expect(invitation.template).toBe('taawun_update');
    expect(invitation.choices).toEqual([]);
    expect(invitation.text).toContain(ar('events:invitation.howTo'));
    expect(invitation.text).toContain(ar('events:menu'));
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
