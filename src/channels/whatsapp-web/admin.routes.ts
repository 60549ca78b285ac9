import QRCode from 'qrcode';
import { z } from 'zod';
import type { AdminRouteModule } from '../../http/admin/routes.js';
import { createAuditService } from '../../services/audit.js';
import { resumeSending, sendingStoppedAt, stopSending } from './sending-switch.js';

const statusSchema = z.object({
  /** off (not run by this process), starting, qr, authenticated, ready, reconnecting, stopped. */
  state: z.string(),
  /** While `state` is qr: the code's text and an SVG of it to scan with the phone. */
  qr: z.string().optional(),
  svg: z.string().optional(),
  sending: z
    .object({
      enabled: z.boolean(),
      stoppedAt: z.iso.datetime().nullable(),
      sentToday: z.number().int(),
      dailyCap: z.number().int(),
    })
    .optional(),
});

const switchSchema = z.object({
  channel: z.literal('whatsapp-web'),
  stopped: z.boolean(),
  stoppedAt: z.iso.datetime().nullable(),
});

/**
 * WhatsApp Web for coordinators: the connection's state and the QR to scan (the terminal shows it
 * too), and the switch that stops or resumes all its sending for every instance (audited).
 */
export const whatsappWebRoutes: AdminRouteModule = (api, deps) => {
  api.route({
    method: 'get',
    path: '/whatsapp-web/qr',
    summary: 'WhatsApp Web: the connection state, the QR to scan while it waits for one, and sending',
    description:
      'Scan `svg` (save it as qr.svg and open it) with WhatsApp on the phone: Linked devices > Link a ' +
      'device. The code changes about every 20 seconds; ask again if it expired.',
    tags: ['whatsapp-web'],
    responses: { 200: statusSchema },
    async handler() {
      if (!deps.whatsappWeb) return { state: 'off' };
      const status = await deps.whatsappWeb.status();
      const svg = status.qr ? await QRCode.toString(status.qr, { type: 'svg', margin: 2 }) : undefined;
      return { ...status, ...(svg ? { svg } : {}) };
    },
  });

  api.route({
    method: 'post',
    path: '/channels/whatsapp-web/pause',
    summary: 'Stop all WhatsApp Web sending at once, for every instance (replies and the outbox)',
    description: 'Outbox messages stay pending until `resume`; messages are still received.',
    tags: ['whatsapp-web'],
    responses: { 200: switchSchema },
    handler: ({ db, actor, now }) =>
      db.$transaction(async (tx) => {
        await stopSending(tx, actor.label);
        await createAuditService(tx).record({
          actor,
          action: 'channel.sending.stop',
          targetType: 'channel',
          targetId: 'whatsapp-web',
          at: now,
        });
        return { channel: 'whatsapp-web', stopped: true, stoppedAt: await sendingStoppedAt(tx) };
      }),
  });

  api.route({
    method: 'post',
    path: '/channels/whatsapp-web/resume',
    summary: 'Let WhatsApp Web send again (pending outbox messages go out at its pace)',
    tags: ['whatsapp-web'],
    responses: { 200: switchSchema },
    handler: ({ db, actor, now }) =>
      db.$transaction(async (tx) => {
        await resumeSending(tx);
        await createAuditService(tx).record({
          actor,
          action: 'channel.sending.resume',
          targetType: 'channel',
          targetId: 'whatsapp-web',
          at: now,
        });
        return { channel: 'whatsapp-web', stopped: false, stoppedAt: null };
      }),
  });
};
