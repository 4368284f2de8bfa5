import type { MetaJson } from './meta.parse.ts';

/** The Meta products with one webhook per app: `/channels/meta/<product>/webhook`. */
export type MetaProduct = 'whatsapp' | 'messenger' | 'instagram';

/** The setting of each product's channel that names its account on Meta's side. */
export const ACCOUNT_SETTING = { whatsapp: 'phoneNumberId', messenger: 'pageId', instagram: 'instagramAccountId' } as const satisfies Record<MetaProduct, string>;

export const appWebhookPath = (product: MetaProduct) => `/channels/meta/${product}/webhook`;

/** The account field's help, pointing at the app-level webhook as the alternative to the channel's own. */
export const appWebhookHelp = (product: MetaProduct, help: { nl: string; en: string }) => ({
  nl: `${help.nl} Webhook: het adres van dit kanaal, of de app-webhook <Hoorn-adres>${appWebhookPath(product)} voor alle accounts van één Meta-app.`,
  en: `${help.en} Webhook: this channel's URL, or the app webhook <Hoorn URL>${appWebhookPath(product)} for every account of one Meta app.`,
});

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One app-level delivery split by account, before its signature is checked: only what is needed
 * to find the channels (whose app secret then verifies the whole body) is read here; everything
 * else is left to the channel's own parse, which sees only its account's part. WhatsApp names the
 * phone number per change (`value.metadata.phone_number_id`: one business account entry may carry
 * several numbers); Messenger and Instagram name the Page or account as `entry[].id`. Parts that
 * name no account are dropped; the order of entries and changes is kept.
 */
export function splitByAccount(product: MetaProduct, body: unknown): Map<string, MetaJson> {
  const parts = new Map<string, MetaJson>();
  if (!isObject(body) || !Array.isArray(body.entry)) return parts;
  const entriesOf = (account: string) => {
    let part = parts.get(account);
    if (!part) parts.set(account, (part = { json: { ...body, entry: [] } }));
    return (part.json as { entry: unknown[] }).entry;
  };
  for (const entry of body.entry) {
    if (!isObject(entry)) continue;
    if (product !== 'whatsapp') {
      if (typeof entry.id === 'string' && entry.id) entriesOf(entry.id).push(entry);
      continue;
    }
    if (!Array.isArray(entry.changes)) continue;
    const byPhone = new Map<string, unknown[]>();
    for (const change of entry.changes) {
      const phone = isObject(change) && isObject(change.value) && isObject(change.value.metadata) ? change.value.metadata.phone_number_id : undefined;
      if (typeof phone !== 'string' || !phone) continue;
      byPhone.set(phone, [...(byPhone.get(phone) ?? []), change]);
    }
    for (const [phone, changes] of byPhone) entriesOf(phone).push({ ...entry, changes });
  }
  return parts;
}
