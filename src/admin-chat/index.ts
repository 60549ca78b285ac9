import { broadcastsAdminModule } from './broadcasts.js';
import { cooperativesAdminModule } from './cooperatives.js';
import { eventsAdminModule } from './events.js';
import { fundingAdminModule } from './funding.js';
import { productsAdminModule } from './products.js';
import { ticketsAdminModule } from './tickets.js';
import type { AdminChatModule } from './types.js';

/**
 * Every feature's part of the coordinators' chat, in one place: append a module here and the console
 * (built in the composition root) runs its buttons and replies.
 */
export const ADMIN_CHAT_MODULES: AdminChatModule[] = [
  fundingAdminModule,
  ticketsAdminModule,
  cooperativesAdminModule,
  productsAdminModule,
  broadcastsAdminModule,
  eventsAdminModule,
];
