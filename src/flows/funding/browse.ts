import { dataString, type Step, type StepContext, say } from '../../core/flow.js';
import type { Choice } from '../../core/message.js';
import { programCard } from './format.js';
import { currentPage, pageLines, pageWindow, pagingChoices, turnedPage } from './paging.js';

const PROGRAM = 'program:';
const NEED = 'need';

/** The page of ACTIVE programs the flow is on, with their total. */
async function programPage(ctx: StepContext) {
  const { funding } = ctx.services;
  const { total } = await funding.listPrograms({ status: 'ACTIVE' }, { take: 0 });
  const page = currentPage(ctx.data, total);
  const { items } = await funding.listPrograms({ status: 'ACTIVE' }, pageWindow(page));
  return { items, total, page };
}

/** The program she is looking at, if it is still open. */
export async function chosenProgram(ctx: StepContext) {
  const id = dataString(ctx.data, 'programId');
  return id ? ctx.services.funding.activeProgram(id) : null;
}

/** The list of open programs, a page at a time, and "describe your need" for anything else. */
export const programsStep: Step = {
  async prompt(ctx) {
    const { total, page } = await programPage(ctx);
    const next = total > 0 ? 'funding:programs.pick' : 'funding:programs.none';
    return say(
      [ctx.t('funding:programs.count', { count: total }), ...pageLines(ctx, page, total), ctx.t(next)].join(
        '\n',
      ),
    );
  },
  async choices(ctx) {
    const { items, total, page } = await programPage(ctx);
    const programs: Choice[] = items.map((p) => ({
      id: `${PROGRAM}${p.id}`,
      label: ctx.t('funding:programs.choice', { name: p.name, kind: ctx.t(`funding:kinds.${p.kind}`) }),
    }));
    return [
      ...programs,
      ...pagingChoices(ctx, page, total),
      { id: NEED, label: ctx.t('funding:programs.need') },
    ];
  },
  async handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === NEED) return { kind: 'goto', step: 'amount', data: { programId: null } };
    if (input.choiceId.startsWith(PROGRAM)) {
      return { kind: 'goto', step: 'details', data: { programId: input.choiceId.slice(PROGRAM.length) } };
    }
    const { page } = await programPage(ctx);
    const to = turnedPage(input.choiceId, page) ?? page;
    return { kind: 'start', flow: 'funding', data: { page: to } };
  },
};

/** One program's card, with "ask to be considered". */
export const detailsStep: Step = {
  choices: (ctx) => [{ id: 'apply', label: ctx.t('funding:details.apply') }],
  async prompt(ctx) {
    const program = await chosenProgram(ctx);
    return say(program ? programCard(ctx, program) : ctx.t('funding:programs.gone'));
  },
  async handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (!(await chosenProgram(ctx))) {
      return { kind: 'start', flow: 'funding', say: say(ctx.t('funding:programs.gone')) };
    }
    return { kind: 'goto', step: 'amount' };
  },
};
