import request from 'supertest';
import { useTestApp } from './app.js';

/** The ADMIN_API_TOKEN `useAdminApp` configures (audited as `admin-token:env`). */
export const ADMIN_TOKEN = 'admin-api-test-token-0123456789abcdef';

/**
 * One whole app for the file's (or describe block's) tests, started in beforeAll with
 * ADMIN_API_TOKEN and stopped in afterAll. The request helpers take paths under /api and send the
 * token; `api()` is a bare supertest agent on the app, with no token.
 */
export function useAdminApp(env: Record<string, string> = {}) {
  const app = useTestApp({ ADMIN_API_TOKEN: ADMIN_TOKEN, ...env });
  const api = () => request(app().taawun.app);
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  return {
    app,
    prisma: () => app().taawun.database.prisma,
    api,
    get: (path: string) => api().get(`/api${path}`).set(auth),
    /** Without `body` nothing is sent yet: chain `.send(...)` for a raw body. */
    post: (path: string, body?: object) => {
      const req = api().post(`/api${path}`).set(auth);
      return body === undefined ? req : req.send(body);
    },
    patch: (path: string, body: object) => api().patch(`/api${path}`).set(auth).send(body),
    del: (path: string) => api().delete(`/api${path}`).set(auth),
  };
}
