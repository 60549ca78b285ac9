import type { Currency, FundingKind, FundingProgramStatus } from '../generated/sqlite/client.js';
import { type AuditActor, createAuditService } from './audit.js';
import type { DbClient, PageWindow } from './db.js';

/** Why a funding operation was refused; callers turn the code into a polite reply or an HTTP status. */
export type FundingErrorCode =
  | 'not_found'
  | 'program_inactive'
  | 'not_member'
  | 'closed'
  | 'forbidden'
  | 'range';

export class FundingError extends Error {
  constructor(readonly code: FundingErrorCode) {
    super(`funding: ${code}`);
    this.name = 'FundingError';
  }
}

/** What coordinators write about a program; amounts are integer minor units of `currency`. */
export interface ProgramInput {
  name: string;
  provider: string;
  kind: FundingKind;
  currency: Currency;
  minAmountMinor?: number | null;
  maxAmountMinor?: number | null;
  eligibility: string;
  howToApply: string;
  description?: string | null;
}

/** The funding programs coordinators maintain: loans, grants and in-kind support members may ask for. */
export function createFundingProgramService(db: DbClient) {
  const audit = createAuditService(db);

  function checkRange(min?: number | null, max?: number | null) {
    if (min != null && max != null && min > max) throw new FundingError('range');
  }

  /** A program a member may still ask for; null when it is unknown or archived. */
  function activeProgram(id: string) {
    return db.fundingProgram.findFirst({ where: { id, status: 'ACTIVE' } });
  }

  return {
    /** Programs, newest first; members see only ACTIVE ones. */
    async listPrograms(filter: { status?: FundingProgramStatus }, window: PageWindow = {}) {
      const where = { status: filter.status };
      const items = await db.fundingProgram.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        ...window,
      });
      return { items, total: await db.fundingProgram.count({ where }) };
    },

    activeProgram,

    async createProgram(input: ProgramInput, actor: AuditActor) {
      checkRange(input.minAmountMinor, input.maxAmountMinor);
      const program = await db.fundingProgram.create({ data: input });
      await audit.record({
        actor,
        action: 'funding-program.create',
        targetType: 'funding-program',
        targetId: program.id,
        data: { name: program.name },
      });
      return program;
    },

    /** Changes some fields of a program; an unknown id throws Prisma's P2025. */
    async updateProgram(id: string, patch: Partial<ProgramInput>, actor: AuditActor) {
      const before = await db.fundingProgram.findUniqueOrThrow({ where: { id } });
      const min = patch.minAmountMinor === undefined ? before.minAmountMinor : patch.minAmountMinor;
      const max = patch.maxAmountMinor === undefined ? before.maxAmountMinor : patch.maxAmountMinor;
      checkRange(min, max);
      const program = await db.fundingProgram.update({ where: { id }, data: patch });
      await audit.record({
        actor,
        action: 'funding-program.update',
        targetType: 'funding-program',
        targetId: id,
        data: { fields: Object.keys(patch) },
      });
      return program;
    },

    /** Hides a program from members; requests already made keep it. Archiving twice writes nothing. */
    async archiveProgram(id: string, actor: AuditActor) {
      const { count } = await db.fundingProgram.updateMany({
        where: { id, status: 'ACTIVE' },
        data: { status: 'ARCHIVED' },
      });
      if (count > 0) {
        await audit.record({
          actor,
          action: 'funding-program.archive',
          targetType: 'funding-program',
          targetId: id,
        });
      }
      return db.fundingProgram.findUniqueOrThrow({ where: { id } });
    },
  };
}
