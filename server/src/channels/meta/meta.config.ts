import { z } from 'zod';
import type { SettingsField } from '../contract.ts';

/** Graph API location and version; tests point the base URL at a fake. */
export const graphSettings = {
  graphBaseUrl: z.url().default('https://graph.facebook.com'),
  apiVersion: z.string().regex(/^v\d+\.\d+$/, 'a Graph API version looks like v21.0').default('v21.0'),
};
export interface GraphSettings {
  graphBaseUrl: string;
  apiVersion: string;
}

/** The same three secrets for every Meta channel: the app's signing secret, the token that sends, the webhook's verify token. */
export const metaSecrets = z.object({
  appSecret: z.string().min(8, 'the app secret (App settings > Basic) is at least 8 characters'),
  accessToken: z.string().min(10, 'an access token is a long string from Meta'),
  verifyToken: z.string().min(8, 'choose a verify token of at least 8 characters').max(256),
});
export type MetaSecrets = z.infer<typeof metaSecrets>;

/** An approved template as the admin mirrors it from WhatsApp Manager. */
export const templateSetting = z.object({
  name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'template names are lowercase letters, digits and _'),
  language: z.string().min(2).max(20),
  body: z.string().max(1024),
  parameters: z.number().int().min(0).max(20),
});

export const idSetting = (what: string) => z.string().regex(/^\d{1,30}$/, `the ${what} is a number`);

export const graphFields: SettingsField[] = [
  { key: 'graphBaseUrl', kind: 'url', label: { nl: 'Graph API-adres', en: 'Graph API address' }, placeholder: 'https://graph.facebook.com' },
  { key: 'apiVersion', kind: 'text', label: { nl: 'Graph API-versie', en: 'Graph API version' }, placeholder: 'v21.0' },
];

export const secretFields = (tokenLabel: { nl: string; en: string }): SettingsField[] => [
  { key: 'accessToken', kind: 'secret', required: true, label: tokenLabel },
  {
    key: 'appSecret',
    kind: 'secret',
    required: true,
    label: { nl: 'App-geheim', en: 'App secret' },
    help: { nl: 'Meta-app > Instellingen > Basis; controleert de handtekening van elke webhook.', en: 'Meta app > Settings > Basic; checks the signature of every webhook.' },
  },
  {
    key: 'verifyToken',
    kind: 'secret',
    required: true,
    label: { nl: 'Verificatietoken', en: 'Verify token' },
    help: { nl: 'Zelf gekozen; vul hetzelfde in bij de webhook-instellingen van de Meta-app.', en: 'Your choice; enter the same in the Meta app’s webhook settings.' },
  },
];
