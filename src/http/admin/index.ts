import { whatsappWebRoutes } from '../../channels/whatsapp-web/admin.routes.js';
import { auditRoutes } from './audit.routes.js';
import { broadcastRoutes } from './broadcasts.routes.js';
import { cooperativeRoutes } from './cooperatives.routes.js';
import { coordinatorRoutes } from './coordinators.routes.js';
import { eventRoutes } from './events.routes.js';
import { fundingRoutes } from './funding.routes.js';
import { productRoutes } from './products.routes.js';
import type { AdminRouteModule } from './routes.js';
import { ticketRoutes } from './tickets.routes.js';

/**
 * Every admin API route module; the composition root registers each, in this order, on the api.
 * Add yours here, one per line with the routes it serves.
 */
export const ADMIN_ROUTE_MODULES: AdminRouteModule[] = [
  coordinatorRoutes, // GET|POST /coordinators, DELETE /coordinators/:id
  auditRoutes, // GET /audit
  fundingRoutes, // /funding-programs (GET, POST, PATCH :id, POST :id/archive), /funding-requests (GET, PATCH :id)
  ticketRoutes, // GET /tickets, GET /tickets/:id
  cooperativeRoutes, // GET /cooperatives, GET /cooperatives/:id, POST /cooperatives/:id/approve|reject
  productRoutes, // GET /products (?format=csv), POST /products/:id/publish|hide
  whatsappWebRoutes, // GET /whatsapp-web/qr, POST /channels/whatsapp-web/pause|resume
  broadcastRoutes, // POST /broadcasts, GET /broadcasts/:id, POST /broadcasts/:id/cancel
  eventRoutes, // POST /events, POST /events/:id/invitations, GET /events/:id/rsvps (?format=csv)
];
