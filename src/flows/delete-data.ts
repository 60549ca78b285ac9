import { type Flow, say } from '../core/flow.js';
import { readYesNo, yesNoChoices } from './yes-no.js';

/** "Delete my data": asks once, then erases everything personal (anonymous counts stay). */
export const deleteDataFlow: Flow = {
  id: 'delete-data',
  start: 'confirm',
  steps: {
    confirm: {
      choices: (ctx) => yesNoChoices(ctx, 'deleteData:yes', 'deleteData:no'),
      prompt: (ctx) => say(ctx.t('deleteData:confirm')),
      async handle(ctx, input) {
        const answer = readYesNo(input);
        if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (answer === 'no') return { kind: 'done', say: say(ctx.t('deleteData:kept')) };
        await ctx.services.privacy.erase(ctx.contact.id, ctx.now);
        return { kind: 'end', say: say(ctx.t('deleteData:done')) };
      },
    },
  },
};
