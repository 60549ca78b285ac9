import fs from 'node:fs';
import { createRequire } from 'node:module';
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import { Mutex } from './mutex.js';

/** The offline Prisma schema engine (WebAssembly): diffs schemas and applies migrations. */
export type SchemaEngine = bindings.SchemaEngine;

/** The part of a logger the database modules use (pino's Logger fits). */
export interface DbLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

let initialised = false;
// Timers the engine started. It never clears them (its glue imports no clearTimeout), and a pending
// one, e.g. a 10 s guard around PostgreSQL calls, would keep the process alive after the work is done.
const engineTimers = new Set<ReturnType<typeof setTimeout>>();
// One engine at a time, so that clearing the timers after one cannot cut another short.
const engineLock = new Mutex();

function trackedSetTimeout(callback: () => void, ms: number) {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

// The package's main entry imports the .wasm as an ES module, which Node 20 refuses; so the glue module
// is imported directly and fed an instance compiled here. The glue keeps the instance in a module-level
// variable, so there is exactly one per process: it is created on first use and shared by every engine.
function initialise(): void {
  if (initialised) return;
  const require = createRequire(import.meta.url);
  const wasmPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
  const imports = Object.fromEntries(
    Object.entries(bindings).map(([name, value]) => [
      name,
      name.startsWith('__wbg_setTimeout_') ? trackedSetTimeout : value,
    ]),
  );
  const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  initialised = true;
}

/**
 * Runs `work` with a schema engine connected through `factory`, then frees the engine, its timers and
 * every connection it opened (the engine disposes none: a pg pool left open keeps the process alive).
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  work: (engine: SchemaEngine) => Promise<T>,
  logger?: DbLogger,
): Promise<T> {
  return engineLock.run(async () => {
    initialise();
    const opened: SqlDriverAdapter[] = [];
    const track = async (connect: Promise<SqlDriverAdapter>) => {
      const adapter = await connect;
      opened.push(adapter);
      return adapter;
    };
    const tracked: SqlMigrationAwareDriverAdapterFactory = {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    };
    let engine: SchemaEngine | undefined;
    try {
      engine = await bindings.SchemaEngine.new(
        { datamodels: [[schema.path, schema.content]] },
        (line: string) => logEngineLine(line, logger),
        bindMigrationAwareSqlAdapterFactory(tracked),
      );
      return await work(engine);
    } finally {
      engine?.free();
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
      await Promise.allSettled(opened.map((adapter) => adapter.dispose()));
    }
  });
}

// The engine logs JSON lines; only warnings and errors are worth passing on.
function logEngineLine(line: string, logger: DbLogger | undefined): void {
  if (!logger) return;
  try {
    const entry = JSON.parse(line) as { level?: string; fields?: { message?: string } };
    if (entry.level === 'WARN' || entry.level === 'ERROR') {
      logger.warn({ engine: entry.fields }, entry.fields?.message ?? 'schema engine');
    }
  } catch {
    logger.warn({ line }, 'schema engine');
  }
}

const offline = () => Promise.reject(new Error('the offline PostgreSQL adapter cannot run queries'));

/**
 * An adapter factory that never touches a server, for PostgreSQL diffs between two schema files. The
 * engine only probes the server when it starts (schema exists, version), so that probe is answered
 * with PostgreSQL 16 and anything else fails loudly.
 */
export function offlinePostgresFactory(): SqlMigrationAwareDriverAdapterFactory {
  const adapter: SqlDriverAdapter = {
    provider: 'postgres',
    adapterName: 'taawun-offline-postgres',
    queryRaw: async (query) => {
      if (!query.sql.includes('server_version_num')) return offline();
      return {
        columnNames: ['exists', 'version', 'numeric_version'],
        columnTypes: [ColumnTypeEnum.Boolean, ColumnTypeEnum.Text, ColumnTypeEnum.Int32],
        rows: [[true, 'PostgreSQL 16.0', 160000]],
      };
    },
    executeRaw: offline,
    executeScript: offline,
    startTransaction: offline,
    getConnectionInfo: () => ({ schemaName: 'public', supportsRelationJoins: true }),
    dispose: async () => undefined,
  };
  return {
    provider: 'postgres',
    adapterName: adapter.adapterName,
    connect: async () => adapter,
    connectToShadowDb: async () => adapter,
  };
}
