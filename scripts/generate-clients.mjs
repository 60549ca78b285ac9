// postinstall: generates the Prisma clients for both providers into src/generated/ (git-ignored).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const prisma = path.join(
  root,
  'node_modules',
  '.bin',
  process.platform === 'win32' ? 'prisma.cmd' : 'prisma',
);
const schemas = ['prisma/schema.prisma', 'prisma/postgres/schema.prisma'];

// `prisma generate` never runs the native schema engine, yet Prisma 7 downloads it first unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file, so an install without internet access fails.
// Any file will do: this script. Only when unset, so an engine path chosen by the user still wins.
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);

for (const schema of schemas) {
  const result = spawnSync(prisma, ['generate', '--schema', schema], { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`prisma generate --schema ${schema} failed`);
    process.exit(result.status ?? 1);
  }
}
