import { type StepContext, say } from '../../core/flow.js';
import { SECTORS, type Sector } from '../../services/cooperative-rules.js';
import { type FieldSpec, fail, ok } from './field-spec.js';

const DONE = 'done';

/**
 * The sectors being picked. They live in the conversation data under `sectorPick` while she toggles
 * (starting from the saved `sectors`), so each press is remembered even though the step stays.
 */
function picked(ctx: StepContext): Sector[] {
  const value = ctx.data.sectorPick ?? ctx.data.sectors;
  return Array.isArray(value) ? SECTORS.filter((s) => value.includes(s)) : [];
}

/**
 * A multi-select question: each press toggles a sector (shown with ✅) and the question stays, so
 * she can press several; "done" answers with what is marked, at least one.
 */
export const sectorsField: FieldSpec<'sectors'> = {
  prompt: (ctx) => say(ctx.t('cooperatives:fields.sectors.prompt')),
  choices(ctx) {
    const chosen = picked(ctx);
    return [
      ...SECTORS.map((sector) => {
        const label = ctx.t(`cooperatives:sectors.${sector}`);
        return { id: sector, label: chosen.includes(sector) ? `✅ ${label}` : label };
      }),
      { id: DONE, label: ctx.t('cooperatives:fields.sectors.done') },
    ];
  },
  read(ctx, input) {
    if (input.kind !== 'choice') return fail(ctx.t('engine:chooseOne'));
    const chosen = picked(ctx);
    if (input.choiceId === DONE) {
      if (chosen.length === 0) return fail(ctx.t('cooperatives:fields.sectors.noneChosen'));
      delete ctx.data.sectorPick;
      return ok(chosen);
    }
    const sector = SECTORS.find((s) => s === input.choiceId);
    if (!sector) return fail(ctx.t('engine:chooseOne'));
    const removing = chosen.includes(sector);
    // The step stays (its answer is not complete), so the toggle is written to the data directly.
    ctx.data.sectorPick = removing ? chosen.filter((s) => s !== sector) : [...chosen, sector];
    const label = ctx.t(`cooperatives:sectors.${sector}`);
    return fail(ctx.t(`cooperatives:fields.sectors.${removing ? 'removed' : 'added'}`, { sector: label }));
  },
};
