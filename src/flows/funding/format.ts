import type { StepContext } from '../../core/flow.js';
import type { FundingProgram, FundingRequest } from '../../generated/sqlite/client.js';
import { formatDate, formatPrice } from '../../i18n/format.js';
import { requestRef } from '../../services/funding.js';

/** "500 $ – 5,000 $", "up to …", "from …", or undefined when the program names no amounts. */
export function amountRange(ctx: StepContext, program: FundingProgram): string | undefined {
  const price = (minor: number | null) =>
    minor === null ? undefined : formatPrice(minor, program.currency, ctx.locale);
  const [min, max] = [price(program.minAmountMinor), price(program.maxAmountMinor)];
  if (min && max) return ctx.t('funding:amount.range', { min, max });
  if (max) return ctx.t('funding:amount.upTo', { max });
  if (min) return ctx.t('funding:amount.from', { min });
  return undefined;
}

/** A program as members read it: what, who gives it, how much, who may ask, how to apply. */
export function programCard(ctx: StepContext, program: FundingProgram): string {
  const range = amountRange(ctx, program);
  return [
    ctx.t('funding:details.name', { name: program.name }),
    ctx.t('funding:details.provider', { provider: program.provider }),
    ctx.t('funding:details.kind', { kind: ctx.t(`funding:kinds.${program.kind}`) }),
    ...(range ? [ctx.t('funding:details.amount', { amount: range })] : []),
    ...(program.description ? [program.description] : []),
    ctx.t('funding:details.eligibility', { text: program.eligibility }),
    ctx.t('funding:details.howToApply', { text: program.howToApply }),
  ].join('\n');
}

/** An amount in minor units, or "not specified". */
export function amountText(ctx: StepContext, minor: number | null, currency: FundingRequest['currency']) {
  return minor === null ? ctx.t('funding:amount.none') : formatPrice(minor, currency, ctx.locale);
}

/** Statuses in which she is still waiting for an answer. */
const WAITING: readonly FundingRequest['status'][] = ['NEW', 'IN_REVIEW'];

type RequestWithNames = FundingRequest & {
  program: { name: string } | null;
  cooperative?: { name: string } | null;
};

/** What a request is about in a few words: its program, or "a need you described". */
export const requestTitle = (ctx: StepContext, request: RequestWithNames) =>
  request.program?.name ?? ctx.t('funding:myRequests.need');

/** One request in full, for "my requests": status in words and the coordinator's answer. */
export function requestCard(ctx: StepContext, request: RequestWithNames): string {
  const forWhom = request.cooperative
    ? ctx.t('funding:request.summary.forCooperative', { name: request.cooperative.name })
    : ctx.t('funding:request.summary.forMe');
  return [
    ctx.t('funding:card.title', { ref: requestRef(request.id) }),
    ctx.t('funding:card.date', { date: formatDate(request.createdAt, ctx.locale) }),
    request.program
      ? ctx.t('funding:request.summary.program', { name: request.program.name })
      : ctx.t('funding:request.summary.need'),
    ctx.t('funding:request.summary.amount', {
      amount: amountText(ctx, request.amountMinor, request.currency),
    }),
    ctx.t('funding:request.summary.purpose', { purpose: request.purpose }),
    forWhom,
    ctx.t('funding:card.status', { status: ctx.t(`funding:status.${request.status}`) }),
    ...(request.coordinatorReply
      ? [ctx.t('funding:card.answer', { answer: request.coordinatorReply })]
      : WAITING.includes(request.status)
        ? [ctx.t('funding:card.noAnswer')]
        : []),
  ].join('\n');
}
