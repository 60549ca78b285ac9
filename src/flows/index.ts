import type { Flow } from '../core/flow.js';
import { FlowRegistry } from '../core/flow-registry.js';
import { deleteDataFlow } from './delete-data.js';
import { createMenuFlow } from './menu.js';
import { onboardingFlow } from './onboarding.js';

/** Every flow besides the menu; a feature's flow with a `menu` entry appears in the main menu. */
export const FLOWS: readonly Flow[] = [onboardingFlow, deleteDataFlow];

/** The registry of `flows` plus the main menu built from their menu entries. */
export function createFlowRegistry(flows: readonly Flow[] = FLOWS): FlowRegistry {
  return new FlowRegistry([createMenuFlow(flows), ...flows]);
}
