import { dataString, type Step, type StepContext, say } from '../../core/flow.js';
import type { Choice } from '../../core/message.js';
import { governorateName } from '../../products/card.js';
import { listData } from './listing.js';

const CATEGORY = 'category:';
const GOVERNORATE = 'governorate:';
const ALL = 'all';
const SEARCH = 'search';
/** The longest search a buyer may type: a few words, not a paragraph. */
export const QUERY_MAX = 100;

/** "🍯 Food and preserves (12)". */
const counted = (ctx: StepContext, label: string, count: number) =>
  ctx.t('catalogue:browse.counted', { label, n: count });

/** The categories that have visible products, with how many, as choices. */
async function categoryChoices(ctx: StepContext): Promise<Choice[]> {
  const categories = await ctx.services.catalogue.categories();
  return categories.map(({ slug, count }) => ({
    id: `${CATEGORY}${slug}`,
    label: counted(ctx, ctx.t(`products:categories.${slug}`), count),
  }));
}

/** A category chosen from `categoryChoices`: on to its governorates. */
function pickCategory(choiceId: string) {
  const category = choiceId.slice(CATEGORY.length);
  return { kind: 'goto', step: 'governorates', data: { category } } as const;
}

/** The catalogue's first step: its categories with counts, and search. */
export const categoriesStep: Step = {
  async prompt(ctx) {
    const empty = (await ctx.services.catalogue.categories()).length === 0;
    return say(ctx.t(empty ? 'catalogue:browse.empty' : 'catalogue:browse.categories'));
  },
  choices: async (ctx) => [
    ...(await categoryChoices(ctx)),
    { id: SEARCH, label: ctx.t('catalogue:search.button') },
  ],
  handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    if (input.choiceId === SEARCH) return { kind: 'goto', step: 'search' };
    return pickCategory(input.choiceId);
  },
};

/** Where: every governorate, or one of those with products in the category. */
export const governoratesStep: Step = {
  prompt: (ctx) =>
    say(
      ctx.t('catalogue:browse.governorates', { category: ctx.t(`products:categories.${ctx.data.category}`) }),
    ),
  async choices(ctx) {
    const governorates = await ctx.services.catalogue.governorates(dataString(ctx.data, 'category'));
    const total = governorates.reduce((sum, g) => sum + g.count, 0);
    return [
      { id: `${GOVERNORATE}${ALL}`, label: counted(ctx, ctx.t('catalogue:browse.allGovernorates'), total) },
      ...governorates.map(({ slug, count }) => ({
        id: `${GOVERNORATE}${slug}`,
        label: counted(ctx, governorateName(slug, ctx.locale), count),
      })),
    ];
  },
  handle(ctx, input) {
    if (input.kind !== 'choice') return { kind: 'retry', error: ctx.t('engine:chooseOne') };
    const slug = input.choiceId.slice(GOVERNORATE.length);
    const category = dataString(ctx.data, 'category') ?? '';
    const governorate = slug === ALL ? undefined : slug;
    return { kind: 'goto', step: 'list', data: listData({ kind: 'category', category, governorate }) };
  },
};

/** The words to look for; the categories stay offered, and are what a search without results suggests. */
export const searchStep: Step = {
  prompt: (ctx) => say(ctx.t('catalogue:search.prompt')),
  choices: categoryChoices,
  async handle(ctx, input) {
    if (input.kind === 'choice') return pickCategory(input.choiceId);
    if (input.kind !== 'text') return { kind: 'retry', error: ctx.t('catalogue:search.textOnly') };
    const query = input.text.trim();
    if (query.length > QUERY_MAX) {
      return { kind: 'retry', error: ctx.t('catalogue:search.tooLong', { max: QUERY_MAX }) };
    }
    const { total } = await ctx.services.catalogue.search(query, {}, { take: 0 });
    if (total === 0) {
      const suggest = (await categoryChoices(ctx)).length > 0;
      const error = ctx.t(suggest ? 'catalogue:search.none' : 'catalogue:search.noneAtAll', { query });
      return { kind: 'retry', error };
    }
    return { kind: 'goto', step: 'list', data: listData({ kind: 'search', query }) };
  },
};
