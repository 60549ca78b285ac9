import { type Flow, say } from '../core/flow.js';
import { readYesNo, yesNoChoices } from './yes-no.js';

/**
 * First contact: Arabic by default with a one-tap switch to English, the privacy notice and consent
 * (without it nothing personal is stored), who she is (member or buyer), and news.
 */
export const onboardingFlow: Flow = {
  id: 'onboarding',
  start: 'welcome',
  steps: {
    welcome: {
      bare: true,
      choices: (ctx) => [
        { id: 'continue', label: ctx.t('onboarding:welcome.continue') },
        { id: 'switch', label: ctx.t('onboarding:welcome.switchLanguage') },
      ],
      prompt: (ctx) => say(ctx.t('onboarding:welcome.text')),
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (input.choiceId === 'switch') {
          await ctx.services.contacts.setLocale(ctx.contact.id, ctx.locale === 'ar' ? 'en' : 'ar');
        }
        return { kind: 'goto', step: 'consent' };
      },
    },
    consent: {
      choices: (ctx) => yesNoChoices(ctx, 'onboarding:consent.agree', 'onboarding:consent.decline'),
      prompt: (ctx) => say(ctx.t('onboarding:consent.text')),
      async handle(ctx, input) {
        const answer = readYesNo(input);
        if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (answer === 'no') return { kind: 'done', say: [{ text: ctx.t('onboarding:consent.declined') }] };
        await ctx.services.contacts.giveConsent(ctx.contact.id, ctx.now, ctx.profile?.name);
        return { kind: 'goto', step: 'persona' };
      },
    },
    persona: {
      choices: (ctx) => [
        { id: 'MEMBER', label: ctx.t('onboarding:persona.member') },
        { id: 'BUYER', label: ctx.t('onboarding:persona.buyer') },
      ],
      prompt: (ctx) => say(ctx.t('onboarding:persona.text')),
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        await ctx.services.contacts.setPersona(
          ctx.contact.id,
          input.choiceId === 'MEMBER' ? 'MEMBER' : 'BUYER',
        );
        return { kind: 'goto', step: 'news' };
      },
    },
    news: {
      choices: (ctx) => yesNoChoices(ctx, 'onboarding:news.yes', 'onboarding:news.no'),
      prompt: (ctx) => say(ctx.t('onboarding:news.text')),
      async handle(ctx, input) {
        const answer = readYesNo(input);
        if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        await ctx.services.contacts.setSubscribed(ctx.contact.id, answer === 'yes', ctx.now);
        return {
          kind: 'done',
          say: [
            {
              text: ctx.t(answer === 'yes' ? 'onboarding:news.subscribed' : 'onboarding:news.notSubscribed'),
            },
          ],
        };
      },
    },
  },
};
