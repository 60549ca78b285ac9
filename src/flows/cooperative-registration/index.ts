import type { Flow } from '../../core/flow.js';
import { COOPERATIVE_FIELDS } from '../../services/cooperative-rules.js';
import { isFreeToJoin } from '../cooperative-access.js';
import { questionStep } from './questions.js';
import { duplicateStep, editFieldStep, summaryStep } from './review.js';

/**
 * "Register a cooperative": eight questions (name, legal form, governorate, town or camp, sectors,
 * members, description, contact phone), a warning when the name already exists in that governorate,
 * then a summary where any one answer can be changed before sending. The cooperative is PENDING with
 * her as its lead until a coordinator decides. Offered to those who belong to no cooperative.
 */
export const cooperativeRegistrationFlow: Flow = {
  id: 'register-cooperative',
  start: COOPERATIVE_FIELDS[0],
  menu: { labelKey: 'cooperatives:menu.register', order: 10, visible: isFreeToJoin },
  steps: {
    ...Object.fromEntries(COOPERATIVE_FIELDS.map((field) => [field, questionStep(field)])),
    duplicate: duplicateStep,
    summary: summaryStep,
    editField: editFieldStep,
  },
};
