import path from 'node:path';

/** The two databases Taawun runs on; their Prisma schemas differ only by provider. */
export type DbProvider = 'sqlite' | 'postgresql';

/** Where `DATABASE_URL` points: a SQLite file (absolute path) or a PostgreSQL database and schema. */
export type DatabaseTarget =
  | { provider: 'sqlite'; filePath: string }
  | { provider: 'postgresql'; connectionString: string; schema: string | undefined };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * Reads `DATABASE_URL`: `postgres://` / `postgresql://` select PostgreSQL (an optional `?schema=` is taken
 * out of the connection string), `file:` selects SQLite with relative paths resolved against the cwd.
 */
export function parseDatabaseUrl(databaseUrl: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    // The schema becomes an unquoted search_path entry, so only plain lower-case names are accepted.
    if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
      throw new Error(`DATABASE_URL: schema "${schema}" must match ${SCHEMA_NAME}`);
    }
    return { provider: 'postgresql', connectionString: url.toString(), schema };
  }
  if (databaseUrl.startsWith('file:')) {
    const file = databaseUrl.slice('file:'.length).replace(/\?.*$/, '');
    if (file === '') throw new Error('DATABASE_URL: a file: URL needs a path, e.g. file:./data/taawun.db');
    return { provider: 'sqlite', filePath: path.resolve(file) };
  }
  throw new Error('DATABASE_URL must start with file:, postgres:// or postgresql://');
}

/** pg pool settings for a target: unqualified SQL (migrations, raw queries) runs in the chosen schema. */
export function pgPoolConfig(target: { connectionString: string; schema: string | undefined }) {
  return target.schema === undefined
    ? { connectionString: target.connectionString }
    : { connectionString: target.connectionString, options: `-c search_path=${target.schema}` };
}
