import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src/platform/db/client.ts';
import { createPlatform } from '../../../src/platform/create.ts';
import { appendEvent, inTransaction, type StoredEvent } from '../../../src/platform/events/events.ts';
import { createTestDatabaseUrl, makeWorkspace, testConfig, testPgUrl } from '../../helpers.ts';

// Two Hoorn nodes on one PostgreSQL: an event committed on one reaches the other's bus via LISTEN/NOTIFY.
// PGlite is a single process, so this only runs in the PostgreSQL pass of the suite.
describe.runIf(testPgUrl)('event bridge between nodes (PostgreSQL)', () => {
  it('delivers committed events to the other node, and never rolled-back ones', async () => {
    const { url, drop } = await createTestDatabaseUrl();
    const log = pino({ level: 'silent' });
    const nodeA = await createPlatform(testConfig(), { database: await openPostgres(url, 2), log });
    const nodeB = await createPlatform(testConfig(), { database: await openPostgres(url, 2), log });
    await nodeA.startWorkers();
    await nodeB.startWorkers();
    try {
      const workspace = await makeWorkspace(nodeA);
      const received: StoredEvent[] = [];
      nodeB.bus.subscribe({ types: ['test.crossed'] }, (e) => { received.push(e); });
      const arrived = new Promise<void>((resolve) => nodeB.bus.subscribe({ types: ['test.crossed'] }, () => resolve()));

      await expect(
        inTransaction(nodeA, async (tx) => {
          await appendEvent(tx, { workspaceId: workspace.id, type: 'test.crossed', subjectType: 'test', subjectId: 'rolled-back' });
          throw new Error('rollback');
        }),
      ).rejects.toThrow('rollback');
      await inTransaction(nodeA, (tx) => appendEvent(tx, { workspaceId: workspace.id, type: 'test.crossed', subjectType: 'test', subjectId: 'committed' }));
      await arrived;
      expect(received.map((e) => e.subjectId)).toEqual(['committed']);
    } finally {
      await nodeA.close();
      await nodeB.close();
      await drop();
    }
  });
});
