/**
 * Demo customers with an order history, so that a fresh `npm start` shows lifetime value at work:
 * tiers in the desk's customer panel, the Klantwaarde page's charts and its customers at risk.
 * The orders are drawn from BG/NBD and Gamma-Gamma with a fixed seed (near CDNOW's published
 * parameters, in euros), so every fresh demo is the same.
 */
import { simulateOrders } from '../clv/simulate.ts';
import { insertCustomer, insertIdentity } from '../customers/customers.store.ts';
import { refreshMatchKeys, getIdentitySettings } from '../customers/identity.service.ts';
import { importOrdersCsv } from '../customers/orders.service.ts';
import { latestModel, refitWorkspace } from '../customers/value.service.ts';
import { customers } from '../customers/customers.schema.ts';
import { and, count, eq } from 'drizzle-orm';
import { inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';

export const DEMO_CUSTOMER_COUNT = 240;
const FIRST = ['Anna', 'Bram', 'Chantal', 'Daan', 'Eva', 'Finn', 'Gerda', 'Hugo', 'Iris', 'Jeroen', 'Kim', 'Luuk', 'Mila', 'Noah', 'Olga', 'Pieter', 'Roos', 'Sem', 'Tess', 'Wouter'];
const LAST = ['de Jong', 'Jansen', 'de Vries', 'van den Berg', 'van Dijk', 'Bakker', 'Janssen', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder'];

export function demoCustomer(i: number): { name: string; email: string } {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  const local = `${first}.${last}`.toLowerCase().replace(/\s+/g, '');
  return { name: `${first} ${last}`, email: `${local}${i >= FIRST.length * LAST.length ? i : ''}@example.nl` };
}

/** Adds the demo customers and their orders once, then fits the value model. */
export async function seedDemoCustomers(p: Platform, workspaceId: string): Promise<void> {
  const [{ n }] = (await p.db.select({ n: count() }).from(customers).where(and(eq(customers.workspaceId, workspaceId)))) as [{ n: number }];
  if (Number(n) > 0) return;
  const now = p.clock.now();
  const settings = await getIdentitySettings(p.db, workspaceId);
  await inTransaction(p, async (tx) => {
    for (let i = 0; i < DEMO_CUSTOMER_COUNT; i++) {
      const profile = { ...demoCustomer(i), language: i % 7 === 0 ? 'en' : 'nl' };
      const customer = await insertCustomer(tx, workspaceId, profile, now);
      await insertIdentity(tx, workspaceId, { customerId: customer.id, channelType: 'email', externalId: profile.email, verified: false }, now);
      await refreshMatchKeys(tx, customer, settings);
    }
  });
  const end = now.toISOString().slice(0, 10);
  const orders = simulateOrders({ r: 0.6, alpha: 5, a: 0.6, b: 2.5 }, { p: 6, q: 4, v: 90 }, DEMO_CUSTOMER_COUNT, 2026, end, 78);
  const csv = ['customer_email,order_id,date,amount,currency', ...orders.map((o) => `${demoCustomer(o.customer).email},DEMO-${o.orderId.slice(4)},${o.date},${o.amount},EUR`)].join('\n');
  await importOrdersCsv(p, workspaceId, csv);
  if (!(await latestModel(p.db, workspaceId))) await refitWorkspace(p, workspaceId);
}
