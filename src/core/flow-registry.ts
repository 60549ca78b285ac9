import type { Flow } from './flow.js';

/** The flows the engine knows, by id. Unknown ids are a programming error, not a user one. */
export class FlowRegistry {
  private readonly flows = new Map<string, Flow>();

  has(id: string): boolean {
    return this.flows.has(id);
  }

  constructor(flows: readonly Flow[]) {
    for (const flow of flows) {
      if (!flow.steps[flow.start]) throw new Error(`flow ${flow.id}: start step ${flow.start} is missing`);
      this.flows.set(flow.id, flow);
    }
  }

  get(id: string): Flow {
    const flow = this.flows.get(id);
    if (!flow) throw new Error(`unknown flow ${id}`);
    return flow;
  }
}
