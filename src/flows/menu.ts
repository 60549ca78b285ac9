import { type Flow, type StepContext, say } from '../core/flow.js';
import type { Choice } from '../core/message.js';
import { NAV_PREFIX } from '../core/turn.js';
import { describeContactData } from './my-data.js';

const entry = (ctx: StepContext, id: string, key: string): Choice => ({ id, label: ctx.t(key) });

/** The entries every contact has after the features' own, in this order. */
function builtInChoices(ctx: StepContext): Choice[] {
  const common = [
    entry(ctx, `${NAV_PREFIX}language`, 'menu:language'),
    entry(ctx, `${NAV_PREFIX}help`, 'menu:help'),
  ];
  if (!ctx.contact.consentAt) return [entry(ctx, 'consent', 'menu:consent'), ...common];
  return [
    ctx.contact.subscribed
      ? entry(ctx, `${NAV_PREFIX}stop`, 'menu:newsOff')
      : entry(ctx, `${NAV_PREFIX}subscribe`, 'menu:newsOn'),
    entry(ctx, 'my-data', 'menu:myData'),
    entry(ctx, 'delete-data', 'menu:deleteData'),
    ...common,
  ];
}

/** The flows a contact may start from the menu now: features need consent, and may be hidden. */
async function featureFlows(flows: readonly Flow[], ctx: StepContext): Promise<Flow[]> {
  if (!ctx.contact.consentAt) return [];
  const offered = flows.filter((f) => f.menu).sort((a, b) => (a.menu?.order ?? 0) - (b.menu?.order ?? 0));
  const shown = await Promise.all(offered.map(async (f) => (f.menu?.visible ? f.menu.visible(ctx) : true)));
  return offered.filter((_, i) => shown[i]);
}

/**
 * The main menu: the features' entries (only those that work for this contact), then news, my data,
 * delete my data, language and help. Entries that are global keywords reuse the keyword's action.
 */
export function createMenuFlow(flows: readonly Flow[]): Flow {
  return {
    id: 'menu',
    start: 'main',
    resting: true,
    steps: {
      main: {
        bare: true,
        choices: async (ctx) => [
          ...(await featureFlows(flows, ctx)).map((f) => entry(ctx, f.id, f.menu?.labelKey ?? f.id)),
          ...builtInChoices(ctx),
        ],
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
          }
          // The turn only passes choices this step offered, so a feature id here is one she may start.
          return { kind: 'start', flow: input.choiceId };
        },
      },
    },
  };
}
