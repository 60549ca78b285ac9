import {
  dataString,
  type FlowData,
  type Step,
  type StepContext,
  type StepResult,
  say,
} from '../../core/flow.js';
import type { Currency, FundingBeneficiary } from '../../generated/sqlite/client.js';
import { parsePrice } from '../../i18n/parse.js';
import { FundingError, fitsProgram, requestRef } from '../../services/funding.js';
import { contactActor } from '../../services/memberships.js';
import { readYesNo, yesNoChoices } from '../yes-no.js';
import { chosenProgram } from './browse.js';
import { amountRange, amountText } from './format.js';

/** Bounds of a purpose: enough words for a coordinator to understand, short enough to read on a phone. */
const PURPOSE_MIN = 5;
const PURPOSE_MAX = 1000;

const SKIP = 'skip';
const SELF: FundingBeneficiary = 'SELF';
const COOPERATIVE: FundingBeneficiary = 'COOPERATIVE';

/** The amount collected so far, or null when she asked for no set amount. */
function draftAmount(data: FlowData): { minor: number; currency: Currency } | null {
  const minor = data.amountMinor;
  const currency = dataString(data, 'currency') as Currency | undefined;
  return typeof minor === 'number' && currency ? { minor, currency } : null;
}

/** After the purpose: "for whom?" only when she is a member of an approved cooperative. */
async function afterPurpose(ctx: StepContext, purpose: string): Promise<StepResult> {
  const cooperative = await ctx.services.funding.cooperativeOf(ctx.contact.id);
  if (cooperative) return { kind: 'goto', step: 'beneficiary', data: { purpose } };
  return { kind: 'goto', step: 'confirm', data: { purpose, beneficiary: SELF } };
}

/** How much: any digits, a currency word or sign (ILS unless named); within the program's range. */
export const amountStep: Step = {
  choices: (ctx) => [{ id: SKIP, label: ctx.t('funding:request.skipAmount') }],
  async prompt(ctx) {
    const program = await chosenProgram(ctx);
    const range = program ? amountRange(ctx, program) : undefined;
    return say(
      [
        ctx.t('funding:request.amount'),
        ...(range ? [ctx.t('funding:request.amountRange', { range })] : []),
      ].join('\n'),
    );
  },
  async handle(ctx, input) {
    if (input.kind === 'choice')
      return { kind: 'goto', step: 'purpose', data: { amountMinor: null, currency: null } };
    if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('funding:request.textOnly') };
    const price = parsePrice(input.text);
    if (!price.ok) return { kind: 'retry', error: ctx.t(`funding:request.errors.${price.error}`) };
    const program = await chosenProgram(ctx);
    if (program && !fitsProgram(program, price.value)) {
      return { kind: 'retry', error: ctx.t('funding:request.errors.out_of_range') };
    }
    return {
      kind: 'goto',
      step: 'purpose',
      data: { amountMinor: price.value.minor, currency: price.value.currency },
    };
  },
};

/** What for, in her own words. */
export const purposeStep: Step = {
  prompt: (ctx) => say(ctx.t('funding:request.purpose')),
  async handle(ctx, input) {
    if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('funding:request.textOnly') };
    const purpose = input.text.trim();
    if (purpose.length < PURPOSE_MIN)
      return { kind: 'retry', error: ctx.t('funding:request.purposeTooShort') };
    if (purpose.length > PURPOSE_MAX) {
      return { kind: 'retry', error: ctx.t('funding:request.purposeTooLong', { max: PURPOSE_MAX }) };
    }
    return afterPurpose(ctx, purpose);
  },
};

/** For herself or for her cooperative (offered only to members of an approved one). */
export const beneficiaryStep: Step = {
  async choices(ctx) {
    const cooperative = await ctx.services.funding.cooperativeOf(ctx.contact.id);
    return [
      { id: SELF, label: ctx.t('funding:request.forMe') },
      ...(cooperative
        ? [{ id: COOPERATIVE, label: ctx.t('funding:request.forCooperative', { name: cooperative.name }) }]
        : []),
    ];
  },
  prompt: (ctx) => say(ctx.t('funding:request.beneficiary')),
  handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    return {
      kind: 'goto',
      step: 'confirm',
      data: { beneficiary: input.choiceId === COOPERATIVE ? COOPERATIVE : SELF },
    };
  },
};

/** The summary of her request, before it goes to the coordinators. */
async function summary(ctx: StepContext): Promise<string> {
  const program = await chosenProgram(ctx);
  const amount = draftAmount(ctx.data);
  const cooperative =
    ctx.data.beneficiary === COOPERATIVE ? await ctx.services.funding.cooperativeOf(ctx.contact.id) : null;
  return [
    ctx.t('funding:request.summary.title'),
    program
      ? ctx.t('funding:request.summary.program', { name: program.name })
      : ctx.t('funding:request.summary.need'),
    ctx.t('funding:request.summary.amount', {
      amount: amountText(ctx, amount?.minor ?? null, amount?.currency ?? 'ILS'),
    }),
    ctx.t('funding:request.summary.purpose', { purpose: dataString(ctx.data, 'purpose') ?? '' }),
    cooperative
      ? ctx.t('funding:request.summary.forCooperative', { name: cooperative.name })
      : ctx.t('funding:request.summary.forMe'),
    ctx.t('funding:request.summary.question'),
  ].join('\n');
}

/** Send or not; sending records the request and posts it to the coordinators' chat. */
export const confirmStep: Step = {
  choices: (ctx) => yesNoChoices(ctx, 'funding:request.send', 'funding:request.dontSend'),
  prompt: async (ctx) => say(await summary(ctx)),
  async handle(ctx, input) {
    const answer = readYesNo(input);
    if (!answer) return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (answer === 'no') return { kind: 'done', say: say(ctx.t('funding:request.notSent')) };
    try {
      const request = await ctx.services.funding.createRequest(
        {
          contactId: ctx.contact.id,
          programId: dataString(ctx.data, 'programId'),
          amount: draftAmount(ctx.data) ?? undefined,
          purpose: dataString(ctx.data, 'purpose') ?? '',
          beneficiary: ctx.data.beneficiary === COOPERATIVE ? COOPERATIVE : SELF,
        },
        contactActor(ctx.contact.id, ctx.channel),
        ctx.now,
      );
      return { kind: 'done', say: say(ctx.t('funding:request.sent', { ref: requestRef(request.id) })) };
    } catch (err) {
      if (err instanceof FundingError)
        return { kind: 'done', say: say(ctx.t(`funding:request.errors.${err.code}`)) };
      throw err;
    }
  },
};
