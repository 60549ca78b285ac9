// `npm run admin:token -- create <name> | list | revoke <name>`: named admin API tokens in DATABASE_URL.
// A new token is printed once; only its sha256 is stored. Creation and revocation are audited.
import 'dotenv/config';
import { loadConfig } from '../src/config.js';
import { createDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { createAdminToken, listAdminTokens, revokeAdminToken } from '../src/http/admin/tokens.js';
import type { AuditActor } from '../src/services/audit.js';

const CLI_ACTOR: AuditActor = { label: 'cli', channel: 'cli' };
const USAGE = 'Usage: npm run admin:token -- create <name> | list | revoke <name>';

const [command, name] = process.argv.slice(2);
if (!(command === 'list' || ((command === 'create' || command === 'revoke') && name))) {
  console.error(USAGE);
  process.exit(2);
}

try {
  const config = loadConfig();
  await applyMigrations({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const { prisma, close } = createDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (command === 'create') {
      const token = await prisma.$transaction((tx) => createAdminToken(tx, name as string, CLI_ACTOR));
      console.log(`Token "${name}" created. Copy it now: it is not shown again.\n${token}`);
    } else if (command === 'revoke') {
      const revoked = await prisma.$transaction((tx) => revokeAdminToken(tx, name as string, CLI_ACTOR));
      console.log(revoked ? `Token "${name}" revoked.` : `Token "${name}" was already revoked.`);
    } else {
      const tokens = await listAdminTokens(prisma);
      if (tokens.length === 0) console.log('No named tokens.');
      for (const t of tokens) {
        const state = t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : 'active';
        const used = t.lastUsedAt ? t.lastUsedAt.toISOString() : 'never';
        console.log(`${t.name}\t${state}\tcreated ${t.createdAt.toISOString()}\tlast used ${used}`);
      }
    }
  } finally {
    await close();
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
}
