import { describe, expect, it } from 'vitest';
import type { Flow } from '../../src/core/flow.js';
import { FLOWS } from '../../src/flows/index.js';
import { onboardingFlow } from '../../src/flows/onboarding.js';
import { DAY_MS, labelsOf, textOf, useEngineHarness } from '../support/engine-harness.js';

/** A copy of the standard flows whose persona step throws: the error boundary under test. */
function flowsWithBrokenPersonaStep(): Flow[] {
  const persona = onboardingFlow.steps.persona;
  if (!persona) throw new Error('persona step missing');
  const broken: Flow = {
    ...onboardingFlow,
    steps: {
      ...onboardingFlow.steps,
      persona: {
        ...persona,
        handle: () => {
          throw new Error('boom');
        },
      },
    },
  };
  return FLOWS.map((f) => (f.id === 'onboarding' ? broken : f));
}

/** The engine and flow suite, run on SQLite and (from test/postgres) on PostgreSQL. */
export function defineEngineSuite(provider: 'sqlite' | 'postgresql') {
  describe(`conversation engine on ${provider}`, () => {
    const h = useEngineHarness({ provider });

    /** Walks a web user through onboarding up to (not including) the persona answer. */
    async function toPersonaStep(user: string) {
      await h.send(user, { kind: 'text', text: '/start' });
      await h.press(user, h.ar('onboarding:welcome.continue'));
      return h.press(user, h.ar('onboarding:consent.agree'));
    }

    it('onboards a new member in Arabic and stores only what she consented to', async () => {
      const welcome = await h.send('u1', '/start');
      expect(textOf(welcome)).toContain('أهلًا وسهلًا');
      expect(labelsOf(welcome)).toEqual([h.ar('onboarding:welcome.continue'), 'English']);

      const consent = await h.press('u1', h.ar('onboarding:welcome.continue'));
      expect(textOf(consent)).toContain(h.ar('onboarding:consent.text'));
      expect((await h.conversationOf('u1'))?.step).toBe('consent');
      expect((await h.contactOf('u1'))?.consentAt).toBeNull();

      const persona = await h.press('u1', h.ar('onboarding:consent.agree'));
      expect(textOf(persona)).toContain(h.ar('onboarding:persona.text'));
      expect((await h.contactOf('u1'))?.consentAt).toBeInstanceOf(Date);

      const news = await h.send('u1', '١'); // typed Arabic-Indic digit picks the first choice
      expect(textOf(news)).toContain(h.ar('onboarding:news.text'));
      expect((await h.contactOf('u1'))?.persona).toBe('MEMBER');

      const menu = await h.send('u1', 'أيوه');
      expect(textOf(menu)).toContain(h.ar('onboarding:news.subscribed'));
      expect(textOf(menu)).toContain(h.ar('menu:title'));
      expect(labelsOf(menu)).toContain(h.ar('menu:myData'));
      const contact = await h.contactOf('u1');
      expect(contact?.subscribed).toBe(true);
      expect((await h.conversationOf('u1'))?.flow).toBe('menu');
    });

    it('keeps nothing personal when consent is declined', async () => {
      await h.send('u2', '/start', { name: 'سعاد' });
      await h.send('u2', 'متابعة', { name: 'سعاد' });
      const declined = await h.send('u2', h.ar('onboarding:consent.decline'), { name: 'سعاد' });
      expect(textOf(declined)).toContain(h.ar('onboarding:consent.declined'));
      expect(labelsOf(declined)).toContain(h.ar('menu:consent'));
      const contact = await h.contactOf('u2');
      expect(contact?.displayName).toBeNull();
      expect(contact?.consentAt).toBeNull();
    });

    it('switches to English with one tap and back with the language keyword, staying on the step', async () => {
      await h.send('u3', '/start');
      const consent = await h.press('u3', 'English');
      expect(textOf(consent)).toContain(h.en('onboarding:consent.text'));
      expect((await h.contactOf('u3'))?.locale).toBe('en');

      const arabic = await h.send('u3', 'عربي');
      expect(textOf(arabic)).toContain(h.ar('engine:languageChanged'));
      expect(textOf(arabic)).toContain(h.ar('onboarding:consent.text'));
      expect((await h.contactOf('u3'))?.locale).toBe('ar');
      expect((await h.conversationOf('u3'))?.step).toBe('consent');
    });

    it('unsubscribes on STOP at a middle step and keeps the step', async () => {
      await toPersonaStep('u4');
      await h.prisma.contact.updateMany({ data: { subscribed: true } });
      const stopped = await h.send('u4', 'بطّل');
      expect(textOf(stopped)).toContain(h.ar('engine:stopped'));
      expect(textOf(stopped)).toContain(h.ar('onboarding:persona.text'));
      const contact = await h.contactOf('u4');
      expect(contact?.subscribed).toBe(false);
      expect(contact?.unsubscribedAt).toBeInstanceOf(Date);
      expect((await h.conversationOf('u4'))?.step).toBe('persona');
    });

    it('goes back, shows help, and refuses an unknown answer without losing the step', async () => {
      await toPersonaStep('u5');
      const help = await h.send('u5', 'ساعديني');
      expect(textOf(help)).toContain(h.ar('engine:help').split('\n')[0]);
      expect(textOf(help)).toContain(h.ar('onboarding:persona.text'));

      const unknown = await h.send('u5', 'بطيخ');
      expect(textOf(unknown)).toContain(h.ar('engine:chooseOne'));
      expect((await h.conversationOf('u5'))?.step).toBe('persona');

      const back = await h.send('u5', 'ارجعي');
      expect(textOf(back)).toContain(h.ar('onboarding:consent.text'));
      expect((await h.conversationOf('u5'))?.step).toBe('consent');

      const menu = await h.send('u5', 'منيو');
      expect(textOf(menu)).toContain(h.ar('menu:title'));
    });

    it('answers a stale button politely and re-shows the current step', async () => {
      const welcome = await h.send('u6', '/start');
      await h.press('u6', h.ar('onboarding:welcome.continue'));
      const stale = await h.send('u6', {
        kind: 'choice',
        choiceId: 'continue',
        token: welcome[0]?.choiceToken,
      });
      expect(textOf(stale)).toContain(h.ar('engine:staleButton'));
      expect(textOf(stale)).toContain(h.ar('onboarding:consent.text'));
      expect((await h.conversationOf('u6'))?.step).toBe('consent');
    });

    it('answers forged button data politely and changes nothing', async () => {
      const welcome = await h.send('u11', '/start');
      const token = welcome[0]?.choiceToken;
      for (const choiceId of ['nav:bogus', 'nav:', 'not-offered']) {
        const replies = await h.send('u11', { kind: 'choice', choiceId, token });
        expect(textOf(replies)).toContain(h.ar('engine:unknownChoice'));
        expect(textOf(replies)).toContain('أهلًا وسهلًا');
      }
      expect((await h.conversationOf('u11'))?.step).toBe('welcome');
    });

    it('drops a flood from one conversation, says so once, and leaves others alone', async () => {
      for (let i = 0; i < 60; i++) expect(await h.send('flood', 'مساعدة')).not.toEqual([]);
      expect(await h.send('flood', 'مساعدة')).toEqual([]);
      expect(await h.send('flood', 'مساعدة')).toEqual([]);
      const warnings = (h.delivered.get('flood') ?? []).filter((m) => m.text === h.ar('engine:slowDown'));
      expect(warnings).toHaveLength(1);
      expect(await h.prisma.inboundEvent.count()).toBe(60);
      expect(textOf(await h.send('calm', '/start'))).toContain('أهلًا وسهلًا');
    });

    it('shows my data, then deletes it after confirmation', async () => {
      await h.send('u7', '/start');
      await h.send('u7', '1');
      await h.send('u7', 'أوافق', { name: 'أم محمد' });
      await h.send('u7', h.ar('onboarding:persona.member'));
      await h.send('u7', 'لا');

      const data = await h.press('u7', h.ar('menu:myData'));
      expect(textOf(data)).toContain('أم محمد');
      expect(textOf(data)).toContain(h.ar('myData:personas.MEMBER'));
      expect(textOf(data)).toContain(h.ar('myData:channelNames.web'));

      await h.press('u7', h.ar('menu:deleteData'));
      const kept = await h.press('u7', h.ar('deleteData:no'));
      expect(textOf(kept)).toContain(h.ar('deleteData:kept'));
      expect((await h.contactOf('u7'))?.displayName).toBe('أم محمد');

      await h.press('u7', h.ar('menu:deleteData'));
      const contactId = (await h.contactOf('u7'))?.id as string;
      const done = await h.press('u7', h.ar('deleteData:yes'));
      expect(textOf(done)).toContain(h.ar('deleteData:done'));
      const erased = await h.prisma.contact.findUniqueOrThrow({ where: { id: contactId } });
      expect(erased).toMatchObject({ displayName: null, phone: null, consentAt: null, subscribed: false });
      expect(erased.erasedAt).toBeInstanceOf(Date);
      expect(await h.prisma.contactChannel.count({ where: { contactId } })).toBe(0);
      expect(await h.prisma.inboundEvent.count({ where: { processedAt: null } })).toBe(0);

      const again = await h.send('u7', 'مرحبا');
      expect(textOf(again)).toContain('أهلًا وسهلًا');
    });

    it('shows the menu when a stored flow no longer exists (after an upgrade)', async () => {
      await toPersonaStep('u10');
      await h.prisma.conversation.updateMany({ data: { flow: 'retired-flow', step: 'gone' } });
      const replies = await h.send('u10', 'مرحبا');
      expect(textOf(replies)).toContain(h.ar('menu:title'));
      expect((await h.conversationOf('u10'))?.flow).toBe('menu');
    });

    it('closes a waiting flow after the expiry and shows the menu', async () => {
      await toPersonaStep('u8');
      h.advance(DAY_MS + 60_000);
      const expired = await h.send('u8', '1');
      expect(textOf(expired)).toContain(h.ar('engine:expired'));
      expect(textOf(expired)).toContain(h.ar('menu:title'));
      expect((await h.conversationOf('u8'))?.flow).toBe('menu');
      expect((await h.contactOf('u8'))?.persona).toBeNull();
    });

    it('drops a redelivered message and handles one person’s messages in order', async () => {
      const update = {
        channel: 'web' as const,
        externalUserId: 'u9',
        externalMessageId: 'same',
        receivedAt: new Date(),
        content: { kind: 'text' as const, text: '/start' },
      };
      const first = await h.router.accept(update);
      const second = await h.router.accept({ ...update });
      expect(first.duplicate).toBe(false);
      expect(second.duplicate).toBe(true);
      if (!first.duplicate) await first.handled;

      const burst = await Promise.all(['1', '1', '2'].map((text) => h.send('u9', text)));
      expect(textOf(burst[0] ?? [])).toContain(h.ar('onboarding:consent.text'));
      expect(textOf(burst[1] ?? [])).toContain(h.ar('onboarding:persona.text'));
      expect(textOf(burst[2] ?? [])).toContain(h.ar('onboarding:news.text'));
      expect((await h.contactOf('u9'))?.persona).toBe('BUYER');
    });
  });

  describe(`error boundary on ${provider}`, () => {
    const h = useEngineHarness({ provider, flows: flowsWithBrokenPersonaStep() });

    it('apologises, keeps the user on the same step and records the failure', async () => {
      await h.send('e1', '/start');
      await h.press('e1', h.ar('onboarding:welcome.continue'));
      await h.press('e1', h.ar('onboarding:consent.agree'));
      const replies = await h.press('e1', h.ar('onboarding:persona.member'));
      expect(textOf(replies)).toContain(h.ar('engine:apology'));
      expect(textOf(replies)).toContain(h.ar('onboarding:persona.text'));
      expect((await h.conversationOf('e1'))?.step).toBe('persona');
      expect((await h.contactOf('e1'))?.persona).toBeNull();
      const failed = await h.prisma.inboundEvent.findMany({ where: { lastError: { not: null } } });
      expect(failed).toHaveLength(1);
      expect(failed[0]?.processedAt).toBeInstanceOf(Date);

      const retry = await h.send('e1', '2');
      expect(textOf(retry)).toContain(h.ar('engine:apology'));
    });
  });
}
