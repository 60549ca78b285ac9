import express, { type Router } from 'express';
import type { Db } from '../../db/client.js';
import type { MediaStore } from '../../media/types.js';

const MEDIA_ID = /^[A-Za-z0-9_-]{8,64}$/;
const YEAR_SECONDS = 365 * 24 * 3_600;
/** Sessions whose photos are remembered (oldest forgotten first) and photos remembered per session. */
const MAX_SESSIONS = 10_000;
const MAX_PER_SESSION = 200;

/** Where the page finds a stored photo: relative to the page, like chat.js's own requests, for its session. */
export const mediaUrl = (mediaId: string, sessionId: string) =>
  `media/${mediaId}?s=${encodeURIComponent(sessionId)}`;

/**
 * The photos each web chat session was given: the ones it uploaded and the ones the bot showed it
 * (replies and notifications alike, all of which reach the page through the channel). In memory and
 * bounded like the mailbox; after a restart the page's older photos come from the browser's cache.
 */
export class MediaGrants {
  private readonly bySession = new Map<string, Set<string>>();

  grant(sessionId: string, mediaId: string): void {
    const given = this.bySession.get(sessionId) ?? new Set<string>();
    this.bySession.delete(sessionId);
    given.delete(mediaId);
    given.add(mediaId);
    if (given.size > MAX_PER_SESSION) given.delete(given.values().next().value as string);
    this.bySession.set(sessionId, given);
    if (this.bySession.size > MAX_SESSIONS)
      this.bySession.delete(this.bySession.keys().next().value as string);
  }

  has(sessionId: string, mediaId: string): boolean {
    return this.bySession.get(sessionId)?.has(mediaId) ?? false;
  }
}

/** Photos meant for everyone: a published product's of an approved cooperative, a queued broadcast's. */
async function isPublic(prisma: Db, mediaId: string): Promise<boolean> {
  const published = { status: 'PUBLISHED' as const, cooperative: { status: 'APPROVED' as const } };
  const count = await prisma.media.count({
    where: {
      id: mediaId,
      OR: [
        { products: { some: { product: published } } },
        { broadcasts: { some: { status: { not: 'DRAFT' } } } },
      ],
    },
  });
  return count > 0;
}

const notFound = (res: express.Response) =>
  res.status(404).json({ error: { code: 'not_found', message: 'Not found' } });

/**
 * `GET /media/:mediaId[?s=<sessionId>]`: a stored photo with its checked type, to whoever may see
 * it. Public photos (see `isPublic`) are served to anyone; any other photo only to the web session
 * it was given (`?s=`, the page's own secret id), so a photo a member sends while posting a product
 * stays hers until the product is published. Anything else is "not found", the same as an unknown
 * id. A file never changes under its id, so browsers may keep it for a year (privately when it is
 * a session's); `nosniff` stops a browser from reading it as anything else.
 */
export function mediaRoutes(deps: { store: MediaStore; prisma: Db; grants: MediaGrants }): Router {
  const routes = express.Router();
  routes.get('/media/:mediaId', async (req, res) => {
    const mediaId = req.params.mediaId ?? '';
    if (!MEDIA_ID.test(mediaId)) return notFound(res);
    const session = typeof req.query.s === 'string' ? req.query.s : '';
    const given = deps.grants.has(session, mediaId);
    if (!given && !(await isPublic(deps.prisma, mediaId))) return notFound(res);
    const media = await deps.store.get(mediaId);
    if (!media) return notFound(res);
    res
      .type(media.mime)
      .set('X-Content-Type-Options', 'nosniff')
      .set('Cache-Control', `${given ? 'private' : 'public'}, max-age=${YEAR_SECONDS}, immutable`);
    // The path comes from the store, never from the request: a dot in DATA_DIR's path is fine.
    res.sendFile(media.path, { cacheControl: false, dotfiles: 'allow' }, (err) => {
      if (err && !res.headersSent) notFound(res);
    });
  });
  return routes;
}
