import type { DbClient } from '../services/db.js';
import type { AdminTarget } from '../services/outbox.js';

/** A message in a chat, by the chat's and the message's own ids. */
export interface ChatPost {
  chatId: string;
  messageId: string;
}

/** Records what a bot post in the coordinators' chat is about, so presses and replies on it find it. */
export async function rememberAdminPost(db: DbClient, post: ChatPost, target: AdminTarget): Promise<void> {
  await db.adminPost.upsert({
    where: { chatId_messageId: post },
    create: { ...post, targetType: target.type, targetId: target.id },
    update: {},
  });
}

/** Points a post at `to` while it still points at `from`; false when another reply moved it first. */
export async function retargetAdminPost(
  db: DbClient,
  post: ChatPost,
  from: AdminTarget,
  to: AdminTarget,
): Promise<boolean> {
  const { count } = await db.adminPost.updateMany({
    where: { ...post, targetType: from.type, targetId: from.id },
    data: { targetType: to.type, targetId: to.id },
  });
  return count === 1;
}

/** What a post is about; null for a message the bot did not record (chat among coordinators). */
export async function findAdminPost(db: DbClient, post: ChatPost): Promise<AdminTarget | null> {
  const row = await db.adminPost.findUnique({ where: { chatId_messageId: post } });
  return row ? { type: row.targetType, id: row.targetId } : null;
}
