import type { Flow } from '../core/flow.js';
import { FlowRegistry } from '../core/flow-registry.js';
import { deleteDataFlow } from './delete-data.js';
import { menuFlow } from './menu.js';
import { onboardingFlow } from './onboarding.js';

/** Every flow the bot offers; later features add theirs here. */
export const FLOWS: readonly Flow[] = [menuFlow, onboardingFlow, deleteDataFlow];

export function createFlowRegistry(flows: readonly Flow[] = FLOWS): FlowRegistry {
  return new FlowRegistry(flows);
}
