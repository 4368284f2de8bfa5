import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { openPostgres } from '../../../src/platform/db/client.ts';
import { createPlatform } from '../../../src/platform/create.ts';
import { appendEvent, inTransaction, type StoredEvent } from '../../../src/platform/events/events.ts';
import { createTestDatabaseUrl, makeWorkspace, testConfig, testPgUrl } from '../../helpers.ts';
import type { HubMessage } from '../../../src/platform/realtime/hub.ts';

// Two Hoorn nodes on one PostgreSQL: an event committed on one reaches the other's bus via LISTEN/NOTIFY.
// PGlite is a single process, so this only runs in the PostgreSQL pass of the suite.
/** Two running nodes on a fresh database of their own. */
async function twoNodes() {
  const { url, drop } = await createTestDatabaseUrl();
  const log = pino({ level: 'silent' });
  const nodeA = await createPlatform(testConfig(), { database: await openPostgres(url, 2), log });
  const nodeB = await createPlatform(testConfig(), { database: await openPostgres(url, 2), log });
  await nodeA.startWorkers();
  await nodeB.startWorkers();
  return {
    nodeA,
    nodeB,
    async close() {
      await nodeA.close();
      await nodeB.close();
      await drop();
    },
  };
}

describe.runIf(testPgUrl)('event bridge between nodes (PostgreSQL)', () => {
  it('delivers committed events to the other node, and never rolled-back ones', async () => {
    const { nodeA, nodeB, close } = await twoNodes();
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
      await close();
    }
  });

  it('carries realtime hub messages to the other node, one too large for NOTIFY as a parcel', async () => {
    const { nodeA, nodeB, close } = await twoNodes();
    try {
      const received: HubMessage[] = [];
      let arrivedBoth: () => void;
      const both = new Promise<void>((resolve) => (arrivedBoth = resolve));
      nodeB.hub.subscribe('visitor:test', (message) => {
        received.push(message);
        if (received.length === 2) arrivedBoth();
      });
      // An SDP offer with many candidates is easily 10 KB.
      const sdp = Array.from({ length: 400 }, (_, i) => `a=candidate:${i} 1 udp 2122260223 192.168.1.${i % 250} ${50_000 + i} typ host`).join('\r\n');
      expect(Buffer.byteLength(sdp)).toBeGreaterThan(8_000);
      nodeA.hub.publish('visitor:test', { type: 'call_signal', callId: 'small', signal: { kind: 'ice' } });
      nodeA.hub.publish('visitor:test', { type: 'call_signal', callId: 'large', signal: { kind: 'offer', sdp } });
      await both;
      expect(received.map((m) => m.callId).sort()).toEqual(['large', 'small']);
      expect((received.find((m) => m.callId === 'large')!.signal as { sdp: string }).sdp).toBe(sdp);
    } finally {
      await close();
    }
  });
});
