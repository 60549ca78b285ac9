import { describe, expect, it } from 'vitest';
import { useAdminApp } from '../support/admin-api.js';

describe('tickets through the admin API', () => {
  const { prisma, get } = useAdminApp();

  async function ticket(status: 'OPEN' | 'ANSWERED' | 'CLOSED', texts: string[]) {
    const contact = await prisma().contact.create({ data: {} });
    return prisma().handoffTicket.create({
      data: {
        contactId: contact.id,
        status,
        messages: { create: texts.map((text) => ({ text, authorRole: 'contact', authorId: contact.id })) },
      },
    });
  }

  it('lists tickets with their message counts, by status and a page at a time', async () => {
    const open = await ticket('OPEN', ['سؤال', 'توضيح']);
    await ticket('ANSWERED', ['سؤال آخر']);
    await ticket('CLOSED', ['قديم']);

    const opened = await get('/tickets?status=OPEN');
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      total: 1,
      items: [{ id: open.id, status: 'OPEN', messages: 2, closedAt: null }],
    });

    const all = await get('/tickets?pageSize=2');
    expect(all.body).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(all.body.items).toHaveLength(2);
    expect((await get('/tickets?pageSize=2&page=2')).body.items).toHaveLength(1);
    expect((await get('/tickets?status=WAITING')).status).toBe(400);
  });

  it('shows one ticket with its thread, and 404s an unknown one', async () => {
    const one = await ticket('OPEN', ['أول رسالة', 'ثاني رسالة']);
    const res = await get(`/tickets/${one.id}`);
    expect(res.status).toBe(200);
    expect(res.body.messages.map((m: { text: string }) => m.text)).toEqual(['أول رسالة', 'ثاني رسالة']);
    const missing = await get('/tickets/no-such');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });
});
