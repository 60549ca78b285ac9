import type { Flow } from '../../core/flow.js';
import { detailsStep, programsStep } from './browse.js';
import { myRequestsFlow } from './my-requests.js';
import { amountStep, beneficiaryStep, confirmStep, purposeStep } from './request.js';

/**
 * Funding programs: the open programs a page at a time → a program's card → "ask to be considered",
 * or "describe your need"; then amount, purpose, for whom (members of an approved cooperative only)
 * and a summary to confirm. The request goes to the coordinators' chat.
 */
export const fundingFlow: Flow = {
  id: 'funding',
  start: 'programs',
  menu: { labelKey: 'funding:menu.programs', order: 30 },
  steps: {
    programs: programsStep,
    details: detailsStep,
    amount: amountStep,
    purpose: purposeStep,
    beneficiary: beneficiaryStep,
    confirm: confirmStep,
  },
};

export { myRequestsFlow };
