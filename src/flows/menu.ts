import { type Flow, type StepContext, say } from '../core/flow.js';
import type { Choice } from '../core/message.js';
import { NAV_PREFIX } from '../core/turn.js';
import { describeContactData } from './my-data.js';

/** The main menu: only entries that work. Entries that are global keywords reuse the keyword's action. */
function menuChoices(ctx: StepContext): Choice[] {
  const entry = (id: string, key: string): Choice => ({ id, label: ctx.t(key) });
  const common = [entry(`${NAV_PREFIX}language`, 'menu:language'), entry(`${NAV_PREFIX}help`, 'menu:help')];
  if (!ctx.contact.consentAt) return [entry('consent', 'menu:consent'), ...common];
  return [
    ctx.contact.subscribed
      ? entry(`${NAV_PREFIX}stop`, 'menu:newsOff')
      : entry(`${NAV_PREFIX}subscribe`, 'menu:newsOn'),
    entry('my-data', 'menu:myData'),
    entry('delete-data', 'menu:deleteData'),
    ...common,
  ];
}

export const menuFlow: Flow = {
  id: 'menu',
  start: 'main',
  resting: true,
  steps: {
    main: {
      bare: true,
      choices: menuChoices,
      prompt: (ctx) => say(ctx.t('menu:title')),
      async handle(ctx, input) {
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('menu:notUnderstood') };
        switch (input.choiceId) {
          case 'consent':
            return { kind: 'start', flow: 'onboarding', step: 'consent' };
          case 'my-data':
            return { kind: 'done', say: say(await describeContactData(ctx)) };
          case 'delete-data':
            return { kind: 'start', flow: 'delete-data' };
          default:
            return { kind: 'retry', error: ctx.t('menu:notUnderstood') };
        }
      },
    },
  },
};
