import type { StepContext } from '../core/flow.js';
import { holdsPlace } from '../services/memberships.js';

/**
 * Who sees which cooperative menu entry. These only hide entries; the services check the same
 * rules again when she acts.
 */

/** No cooperative holds her place: she may register one or ask to join one. */
export async function isFreeToJoin(ctx: StepContext): Promise<boolean> {
  const membership = await ctx.services.memberships.current(ctx.contact.id);
  return !membership || !holdsPlace(membership);
}

/** She has a cooperative to look at: a membership (even of a rejected one) or a request waiting. */
export async function hasCooperative(ctx: StepContext): Promise<boolean> {
  const membership = await ctx.services.memberships.current(ctx.contact.id);
  return membership !== null && membership.status !== 'DECLINED';
}

/** She leads a cooperative and someone is waiting for her answer. */
export async function hasJoinRequests(ctx: StepContext): Promise<boolean> {
  return (await ctx.services.memberships.pendingRequests(ctx.contact.id)).length > 0;
}
