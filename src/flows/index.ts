import type { Flow } from '../core/flow.js';
import { FlowRegistry } from '../core/flow-registry.js';
import { broadcastFlow } from './broadcast/index.js';
import { buyerQuestionsFlow, catalogueFlow, myQuestionsFlow } from './catalogue/index.js';
import { cooperativeRegistrationFlow } from './cooperative-registration/index.js';
import { deleteDataFlow } from './delete-data.js';
import { fundingFlow, myRequestsFlow } from './funding/index.js';
import { joinCooperativeFlow } from './join-cooperative.js';
import { joinRequestsFlow } from './join-requests.js';
import { createMenuFlow } from './menu.js';
import { myCooperativeFlow } from './my-cooperative.js';
import { myEventsFlow } from './my-events.js';
import { onboardingFlow } from './onboarding.js';
import { myProductsFlow, postProductFlow } from './products/index.js';
import { talkToCoordinatorFlow } from './talk-to-coordinator.js';

/** Every flow besides the menu; a feature's flow with a `menu` entry appears in the main menu. */
export const FLOWS: readonly Flow[] = [
  onboardingFlow,
  deleteDataFlow,
  fundingFlow,
  myRequestsFlow,
  talkToCoordinatorFlow,
  cooperativeRegistrationFlow,
  joinCooperativeFlow,
  myCooperativeFlow,
  joinRequestsFlow,
  postProductFlow,
  myProductsFlow,
  catalogueFlow,
  myQuestionsFlow,
  buyerQuestionsFlow,
  broadcastFlow,
  myEventsFlow,
];

/** The registry of `flows` plus the main menu built from their menu entries. */
export function createFlowRegistry(flows: readonly Flow[] = FLOWS): FlowRegistry {
  return new FlowRegistry([createMenuFlow(flows), ...flows]);
}
