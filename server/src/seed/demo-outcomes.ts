/**
 * The demo's wrap-up set for a Dutch web shop: disposition codes with the outcome each implies,
 * wrap-up 'optional', and a CSAT question after web chat conversations
 * (not e-mail: the demo's address has no relay until one is set, so the question would fail). Safe to run
 * twice: codes that exist are left alone, settings are written only when there are none.
 */
import { eq } from 'drizzle-orm';
import { appendEvent, inTransaction } from '../platform/events/events.ts';
import type { Platform } from '../platform/platform.ts';
import { outcomeSettings } from '../outcomes/outcomes.schema.ts';
import { defaultOutcomeSettings, type OutcomeKind, type OutcomeSettings } from '../outcomes/outcomes.ts';
import { insertDisposition, listDispositions, saveSettings } from '../outcomes/outcomes.store.ts';

export const DEMO_DISPOSITIONS: Array<{ code: string; labelNl: string; labelEn: string; outcome: OutcomeKind | null }> = [
  { code: 'bestelling-geplaatst', labelNl: 'Bestelling geplaatst', labelEn: 'Order placed', outcome: 'sale' },
  { code: 'extra-verkocht', labelNl: 'Duurdere variant of garantie verkocht', labelEn: 'Upgrade or warranty sold', outcome: 'upsell' },
  { code: 'accessoire-verkocht', labelNl: 'Accessoire erbij verkocht', labelEn: 'Accessory sold', outcome: 'cross_sell' },
  { code: 'opzegging-voorkomen', labelNl: 'Opzegging voorkomen (klantenpas)', labelEn: 'Cancellation prevented (loyalty card)', outcome: 'retention_saved' },
  { code: 'klacht-opgelost', labelNl: 'Klacht opgelost', labelEn: 'Complaint resolved', outcome: 'complaint_resolved' },
  { code: 'bezorgvraag', labelNl: 'Vraag over bezorging beantwoord', labelEn: 'Delivery question answered', outcome: 'information' },
  { code: 'retour-geregeld', labelNl: 'Retour of ruil geregeld', labelEn: 'Return or exchange arranged', outcome: 'information' },
  { code: 'productadvies', labelNl: 'Productadvies gegeven', labelEn: 'Product advice given', outcome: 'information' },
  { code: 'geen-actie', labelNl: 'Geen actie nodig', labelEn: 'No action needed', outcome: 'none' },
  { code: 'spam', labelNl: 'Spam of verkeerd verbonden', labelEn: 'Spam or wrong number', outcome: null },
];

export const DEMO_OUTCOME_SETTINGS: OutcomeSettings = {
  ...defaultOutcomeSettings(),
  surveys: {
    webchat: { enabled: true, kind: 'csat', question: { nl: '', en: '' }, windowHours: 24 },
  },
};

export async function seedDemoOutcomes(p: Platform, workspaceId: string): Promise<void> {
  await inTransaction(p, async (tx) => {
    const now = p.clock.now();
    const existing = new Set((await listDispositions(tx, workspaceId)).map((d) => d.code));
    for (const [position, d] of DEMO_DISPOSITIONS.entries()) {
      if (existing.has(d.code)) continue;
      const row = await insertDisposition(tx, workspaceId, { ...d, active: true, position: position * 10 }, now);
      await appendEvent(tx, { workspaceId, type: 'disposition.created', subjectType: 'disposition', subjectId: row.id, payload: { code: row.code, outcome: row.outcome }, actorId: 'system:seed' });
    }
    const [settings] = await tx.select({ workspaceId: outcomeSettings.workspaceId }).from(outcomeSettings).where(eq(outcomeSettings.workspaceId, workspaceId));
    if (!settings) await saveSettings(tx, workspaceId, DEMO_OUTCOME_SETTINGS, now);
  });
}
