import type { Flow } from '../../core/flow.js';
import { categoriesStep, governoratesStep, searchStep } from './browse.js';
import { askStep, cardStep } from './card.js';
import { CATALOGUE, listStep } from './listing.js';

/**
 * "🛍️ Product catalogue", for everyone: a category (with counts) → a governorate or all → five
 * products a page → a product's card → contact the cooperative (the question is relayed) or more
 * from it; or search by words, which suggests the categories when nothing matches. Buyers see only
 * published products of approved cooperatives (the catalogue service).
 */
export const catalogueFlow: Flow = {
  id: CATALOGUE,
  start: 'categories',
  menu: { labelKey: 'catalogue:menu.catalogue', order: 25 },
  steps: {
    categories: categoriesStep,
    governorates: governoratesStep,
    search: searchStep,
    list: listStep,
    card: cardStep,
    ask: askStep,
  },
};

export { buyerQuestionsFlow } from './buyer-questions.js';
export { myQuestionsFlow } from './my-questions.js';
