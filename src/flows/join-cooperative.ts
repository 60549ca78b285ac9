import { type Flow, type StepContext, type StepResult, say } from '../core/flow.js';
import { normalizeName } from '../i18n/normalize.js';
import { governorateName } from '../services/cooperative-messages.js';
import { readJoinCode } from '../services/cooperative-rules.js';
import { isFreeToJoin } from './cooperative-access.js';
import { readYesNo, yesNoChoices } from './yes-no.js';

/** Search results shown at once: one Telegram keyboard page. */
const MAX_RESULTS = 8;

interface Found {
  id: string;
  name: string;
  governorate: string;
}

const errorText = (ctx: StepContext, error: string) => ctx.t(`cooperatives:join.errors.${error}`);

/** Joins with a code; a mistyped or unknown code is asked again, anything else ends the flow. */
async function joinByCode(ctx: StepContext, text: string): Promise<StepResult> {
  const outcome = await ctx.services.memberships.joinWithCode(ctx.contact.id, text, ctx.channel);
  if (outcome.ok) {
    return { kind: 'done', say: say(ctx.t('cooperatives:join.joined', { name: outcome.cooperative.name })) };
  }
  if (outcome.error === 'not_a_code' || outcome.error === 'unknown_code') {
    return { kind: 'retry', error: errorText(ctx, outcome.error) };
  }
  return { kind: 'done', say: say(errorText(ctx, outcome.error)) };
}

/** Looks for approved cooperatives by name and offers them to pick from. */
async function search(ctx: StepContext, text: string): Promise<StepResult> {
  if ([...normalizeName(text)].length < 2)
    return { kind: 'retry', error: ctx.t('cooperatives:join.searchTooShort') };
  const found = await ctx.services.cooperatives.searchApproved(text, MAX_RESULTS);
  if (found.length === 0) return { kind: 'retry', error: ctx.t('cooperatives:join.noResults') };
  const results: Found[] = found.map(({ id, name, governorate }) => ({ id, name, governorate }));
  return { kind: 'goto', step: 'pick', data: { results } };
}

/** A retry on the first step belongs to the step that asks for that kind of answer. */
const retryOn = (step: string, result: StepResult): StepResult =>
  result.kind === 'retry' ? { kind: 'goto', step, say: say(result.error) } : result;

const resultsOf = (ctx: StepContext): Found[] =>
  Array.isArray(ctx.data.results) ? (ctx.data.results as Found[]) : [];

/**
 * "Join a cooperative": with the join code her lead shared (she is a member at once), or by finding
 * it by name and asking its lead, who answers from "join requests". Offered to those without one.
 */
export const joinCooperativeFlow: Flow = {
  id: 'join-cooperative',
  start: 'how',
  menu: { labelKey: 'cooperatives:menu.join', order: 11, visible: isFreeToJoin },
  steps: {
    how: {
      prompt: (ctx) => say(ctx.t('cooperatives:join.how')),
      choices: (ctx) => [
        { id: 'code', label: ctx.t('cooperatives:join.withCode') },
        { id: 'search', label: ctx.t('cooperatives:join.search') },
      ],
      async handle(ctx, input) {
        if (input.kind === 'choice') return { kind: 'goto', step: input.choiceId };
        if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        // She typed instead of choosing: a code if it looks like one, else a name to look for.
        if (readJoinCode(input.text)) return retryOn('code', await joinByCode(ctx, input.text));
        return retryOn('search', await search(ctx, input.text));
      },
    },
    code: {
      prompt: (ctx) => say(ctx.t('cooperatives:join.codePrompt')),
      handle: (ctx, input) =>
        input.kind === 'text'
          ? joinByCode(ctx, input.text)
          : { kind: 'retry', error: ctx.t('cooperatives:textOnly') },
    },
    search: {
      prompt: (ctx) => say(ctx.t('cooperatives:join.searchPrompt')),
      handle: (ctx, input) =>
        input.kind === 'text'
          ? search(ctx, input.text)
          : { kind: 'retry', error: ctx.t('cooperatives:textOnly') },
    },
    pick: {
      prompt: (ctx) => say(ctx.t('cooperatives:join.pick')),
      choices: (ctx) =>
        resultsOf(ctx).map((c) => ({
          id: c.id,
          label: ctx.t('cooperatives:join.result', {
            name: c.name,
            governorate: governorateName(c.governorate, ctx.locale),
          }),
        })),
      async handle(ctx, input) {
        if (input.kind === 'text') return search(ctx, input.text);
        if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        return { kind: 'goto', step: 'confirm', data: { cooperativeId: input.choiceId } };
      },
    },
    confirm: {
      bare: true,
      async prompt(ctx) {
        const cooperative = await ctx.services.cooperatives.get(String(ctx.data.cooperativeId));
        if (!cooperative) return say(errorText(ctx, 'not_open'));
        const governorate = governorateName(cooperative.governorate, ctx.locale);
        return say(ctx.t('cooperatives:join.confirm', { name: cooperative.name, governorate }));
      },
      choices: (ctx) => yesNoChoices(ctx, 'cooperatives:join.confirmYes', 'cooperatives:join.confirmNo'),
      async handle(ctx, input) {
        const answer = readYesNo(input);
        if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
        if (answer === 'no') return { kind: 'done', say: say(ctx.t('cooperatives:join.notSent')) };
        const cooperativeId = String(ctx.data.cooperativeId);
        const outcome = await ctx.services.memberships.requestToJoin(
          ctx.contact.id,
          cooperativeId,
          ctx.channel,
        );
        const text = outcome.ok
          ? ctx.t('cooperatives:join.requested', { name: outcome.cooperative.name })
          : errorText(ctx, outcome.error);
        return { kind: 'done', say: say(text) };
      },
    },
  },
};
