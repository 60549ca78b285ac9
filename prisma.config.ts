// Prisma CLI configuration (`npx prisma migrate deploy`, `migrate status`, `studio`) for machines that can
// download Prisma's native schema engine. The app itself migrates offline on start (src/db/migrate.ts,
// `npm run db:migrate`) and `npm run db:new-migration` writes new migrations; both use the same folders.
//
// DATABASE_URL chooses the provider as the app does: `file:` uses prisma/schema.prisma and prisma/migrations;
// `postgres://` / `postgresql://` (with an optional `?schema=`) uses prisma/postgres/schema.prisma and
// prisma/postgres/migrations, e.g. `DATABASE_URL=postgresql://user@host/db npx prisma migrate deploy`.
import 'dotenv/config';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

const url = process.env.DATABASE_URL || 'file:./data/taawun.db';
const dir = /^postgres(ql)?:\/\//.test(url) ? 'prisma/postgres' : 'prisma';

export default defineConfig({
  schema: `${dir}/schema.prisma`,
  migrations: { path: `${dir}/migrations` },
  datasource: {
    // Relative SQLite paths are resolved against the working directory, as the app resolves them.
    url: url.startsWith('file:') ? `file:${path.resolve(url.slice('file:'.length))}` : url,
  },
});
