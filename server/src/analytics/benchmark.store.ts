import { randomUUID } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../platform/db/client.ts';
import { users } from '../platform/db/schema.ts';
import { maturityAssessments } from './benchmark.schema.ts';

export type MaturityAssessmentRow = typeof maturityAssessments.$inferSelect;
export type MaturityAssessmentWithName = MaturityAssessmentRow & { assessedByName: string | null };

export async function insertAssessment(tx: Tx, row: Omit<MaturityAssessmentRow, 'id'>): Promise<MaturityAssessmentRow> {
  const [inserted] = await tx.insert(maturityAssessments).values({ id: randomUUID(), ...row }).returning();
  return inserted!;
}

/** The workspace's assessments, newest first, with the name of who answered when it was a user. */
export async function listAssessments(db: DbOrTx, workspaceId: string, limit = 50): Promise<MaturityAssessmentWithName[]> {
  const rows = await db
    .select({ assessment: maturityAssessments, name: users.name })
    .from(maturityAssessments)
    // assessed_by is text (it may name an API key), users.id a uuid.
    .leftJoin(users, and(eq(users.workspaceId, workspaceId), sql`${users.id}::text = ${maturityAssessments.assessedBy}`))
    .where(eq(maturityAssessments.workspaceId, workspaceId))
    .orderBy(desc(maturityAssessments.assessedAt), desc(maturityAssessments.id))
    .limit(limit);
  return rows.map((r) => ({ ...r.assessment, assessedByName: r.name }));
}

export async function latestAssessment(db: DbOrTx, workspaceId: string): Promise<MaturityAssessmentRow | undefined> {
  const [row] = await db
    .select()
    .from(maturityAssessments)
    .where(eq(maturityAssessments.workspaceId, workspaceId))
    .orderBy(desc(maturityAssessments.assessedAt), desc(maturityAssessments.id))
    .limit(1);
  return row;
}
