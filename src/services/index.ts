import { createAuditService } from './audit.js';
import { createBroadcastService } from './broadcasts.js';
import { createCatalogueService } from './catalogue.js';
import { createContactService } from './contacts.js';
import { createCooperativeService } from './cooperatives.js';
import { createCoordinatorService } from './coordinators.js';
import type { DbClient } from './db.js';
import type { ServiceDeps } from './deps.js';
import { createEventService } from './events.js';
import { createFundingService } from './funding.js';
import { createInquiryService } from './inquiries.js';
import { createMembershipService } from './memberships.js';
import { createNotifier } from './notify.js';
import { createOutboxService } from './outbox.js';
import { createPrivacyService } from './privacy.js';
import { createProductService } from './products.js';
import { createTicketService } from './tickets.js';

/** All domain services bound to one client (the process's, or a transaction's). */
export function createServices(db: DbClient, deps: ServiceDeps) {
  return {
    contacts: createContactService(db),
    audit: createAuditService(db),
    coordinators: createCoordinatorService(db),
    outbox: createOutboxService(db),
    notify: createNotifier(db, deps),
    funding: createFundingService(db, deps),
    tickets: createTicketService(db, deps),
    cooperatives: createCooperativeService(db, deps),
    memberships: createMembershipService(db, deps),
    privacy: createPrivacyService(db, deps),
    products: createProductService(db, deps),
    catalogue: createCatalogueService(db, deps),
    inquiries: createInquiryService(db, deps),
    broadcasts: createBroadcastService(db, deps),
    events: createEventService(db, deps),
  };
}

export type Services = ReturnType<typeof createServices>;
export type { ServiceDeps } from './deps.js';
