import { describe, expect, it } from 'vitest';
import { labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';
import { onboardMember } from '../support/onboarding.js';

const h = useEngineHarness();

/** Subscribers reachable on WhatsApp, in `governorate`. */
async function subscribers(count: number, governorate: string) {
  for (let i = 0; i < count; i++)
    await h.prisma.contact.create({
      data: {
        subscribed: true,
        governorate,
        channels: {
          create: { channel: 'whatsapp-cloud', externalId: `${governorate}-${i}`, lastInboundAt: new Date() },
        },
      },
    });
}

/** A coordinator who reaches the bot through the web chat (as she would through WhatsApp). */
async function coordinator(user: string) {
  await onboardMember(h, user);
  const contact = await h.contactOf(user);
  await h.prisma.contact.update({ where: { id: contact?.id }, data: { role: 'COORDINATOR' } });
  return h.send(user, 'القائمة');
}

describe('broadcast news from the menu, for coordinators on any channel', () => {
  it('is offered to coordinators only', async () => {
    const menu = await onboardMember(h, 'member');
    expect(labelsOf(menu)).not.toContain(h.ar('broadcasts:menu'));
    expect(labelsOf(await coordinator('coord'))).toContain(h.ar('broadcasts:menu'));
  });

  it('takes text → governorate → preview with the count → send, and queues one message each', async () => {
    await subscribers(3, 'hebron');
    await subscribers(2, 'jenin');
    await coordinator('coord');
    await h.press('coord', h.ar('broadcasts:menu'));
    expect(textOf(await h.send('coord', '   '))).toContain(h.ar('broadcasts:errors.textMissing'));
    const audience = await h.send('coord', 'سوق المنتجات المحلية يوم الجمعة في الخليل');
    expect(labelsOf(audience)).toContain(h.ar('broadcasts:audience.governorates'));
    await h.press('coord', h.ar('broadcasts:audience.governorates'));
    expect(textOf(await h.send('coord', 'مدينة لا نعرفها'))).toContain(
      h.ar('broadcasts:flow.governorateNotFound'),
    );
    const preview = await h.send('coord', 'محافظة الخليل');
    const shown = textOf(preview);
    expect(shown).toContain('سوق المنتجات المحلية يوم الجمعة في الخليل');
    expect(shown).toContain(h.ar('broadcasts:message.footer'));
    expect(shown).toContain(h.ar('broadcasts:recipients', { count: 3 }));
    expect(await h.prisma.broadcast.count()).toBe(0);

    const done = await h.press('coord', h.ar('broadcasts:flow.send'));
    expect(textOf(done)).toContain(h.ar('broadcasts:flow.queued', { count: 3 }));
    const broadcast = await h.prisma.broadcast.findFirstOrThrow();
    expect(broadcast).toMatchObject({
      status: 'QUEUED',
      audience: { kind: 'governorates', slugs: ['hebron'] },
    });
    const rows = await h.prisma.outboxMessage.findMany({
      where: { broadcastId: broadcast.id },
      include: { contactChannel: true },
    });
    expect(rows.map((r) => r.contactChannel?.externalId).sort()).toEqual([
      'hebron-0',
      'hebron-1',
      'hebron-2',
    ]);
  });

  it('finds a cooperative by name, and sends her back to the audience when it reaches nobody', async () => {
    await h.prisma.cooperative.create({
      data: {
        name: 'جمعية نساء جنين',
        normalizedName: 'جمعية نساء جنين',
        legalForm: 'COOPERATIVE',
        governorate: 'jenin',
        locality: 'جنين',
        sectors: [],
        membersCount: 10,
        status: 'APPROVED',
      },
    });
    await coordinator('coord');
    await h.press('coord', h.ar('broadcasts:menu'));
    await h.send('coord', 'دورة تدريبية للعضوات');
    await h.press('coord', h.ar('broadcasts:audience.cooperative'));
    expect(textOf(await h.send('coord', 'جمعية لا توجد'))).toContain(
      h.ar('broadcasts:errors.unknown_cooperative'),
    );
    const preview = await h.send('coord', 'نساء جنين');
    expect(textOf(preview)).toContain(h.ar('broadcasts:recipients', { count: 0 }));
    const refused = await h.press('coord', h.ar('broadcasts:flow.send'));
    expect(textOf(refused)).toContain(h.ar('broadcasts:errors.no_recipients'));
    expect(labelsOf(refused)).toContain(h.ar('broadcasts:audience.all'));
    expect(await h.prisma.broadcast.count()).toBe(0);
  });
});
