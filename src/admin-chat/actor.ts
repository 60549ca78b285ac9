import type { AdminContext } from './types.js';

/** How a coordinator is named under a post she acted on: her name, or her audit label. */
export async function actorName(ctx: AdminContext): Promise<string> {
  const contact = await ctx.services.contacts.get(ctx.actor.contactId);
  return contact.displayName ?? ctx.actor.label;
}
