import type { Db, Document } from 'mongodb';
import type { Test } from 'tap';

/**
 * Test-only (excluded from the build): asserting that a query uses an index, on both servers the
 * tests run on. chat.indexes.test.ts explains the FerretDB side: its plans are PostgreSQL
 * sequential scans whatever the indexes, so there the assertion is whether the filter runs in SQL.
 */

export interface QueryPath {
  name: string;
  command: Document;
  /** What FerretDB 1.24 reports as `filterPushdown` for it. */
  ferretPushdown: boolean;
}

type Assert = Pick<Test, 'ok' | 'notOk' | 'equal' | 'type'>;

/** Every stage name of a MongoDB plan tree. */
function stages(plan: Document | undefined): string[] {
  if (!plan) return [];
  const children = [plan.inputStage, ...((plan.inputStages as Document[] | undefined) ?? []), plan.queryPlan].filter(Boolean) as Document[];
  return [String(plan.stage ?? ''), ...children.flatMap(stages)].filter((s) => s !== '');
}

export async function isFerretDb(db: Db): Promise<boolean> {
  return typeof (await db.admin().command({ buildInfo: 1 })).ferretdbVersion === 'string';
}

/** Explains the path's command and asserts what the server can show about its index use. */
export async function assertUsesIndex(t: Assert, db: Db, ferret: boolean, path: QueryPath): Promise<void> {
  const result = await db.command({ explain: path.command, verbosity: 'queryPlanner' });
  if (ferret) {
    t.type(result.queryPlanner?.Plan, 'object', 'FerretDB answers with the PostgreSQL plan');
    t.equal(result.filterPushdown, path.ferretPushdown, `FerretDB ${path.ferretPushdown ? 'pushes the filter down into SQL' : 'filters in memory'}`);
    return;
  }
  const names = stages(result.queryPlanner?.winningPlan as Document | undefined);
  t.notOk(names.includes('COLLSCAN'), `no collection scan (${names.join(' > ')})`);
  t.ok(names.some((s) => /IXSCAN|IDHACK/.test(s)), `an index is used (${names.join(' > ')})`);
}
