import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { findWorkspaceBySlug } from '../platform/auth/auth.store.ts';
import type { Platform } from '../platform/platform.ts';
import { listChannels } from '../channels/channels.store.ts';
import { DEMO_BOT_CHANNEL } from './demo-flows.ts';
import { userHashFor } from '../channels/webchat/identity.ts';
import type { WebchatSecrets } from '../channels/webchat/webchat.config.ts';
import { DEMO_WORKSPACE } from './demo.ts';
import { escapeHtml } from '../platform/http/html.ts';

/** Where `npm run build -w widget` puts the widget. */
export const widgetFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../widget/dist/widget.js');


/**
 * `/widget.js` (the embeddable chat) and `/demo`: a fake shop page with the widget, as an
 * organisation's site would embed it. `/demo?customer=<id>` plays a logged-in shop customer: the
 * page computes the identity hash server-side, as the shop's back end would.
 */
export function demoRoutes(app: FastifyInstance, p: Platform): void {
  app.get('/widget.js', { schema: { hide: true } }, async (_request, reply) => {
    if (!fs.existsSync(widgetFile)) return reply.status(404).type('text/plain').send('The widget is not built: npm run build -w widget');
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(fs.createReadStream(widgetFile));
  });

  app.withTypeProvider<ZodTypeProvider>().get('/demo', {
    schema: { hide: true, querystring: z.object({ customer: z.string().regex(/^[\w.-]{1,64}$/).optional(), lang: z.enum(['nl', 'en']).default('nl'), bot: z.enum(['0', '1']).default('0') }) },
  }, async (request, reply) => {
    const workspace = await findWorkspaceBySlug(p.db, DEMO_WORKSPACE.slug);
    // `?bot=1`: the chat the demo's self-service flow greets; otherwise the shop's plain chat.
    const chats = workspace ? (await listChannels(p.db, workspace.id)).filter((c) => c.type === 'webchat') : [];
    const channel = request.query.bot === '1' ? chats.find((c) => c.name === DEMO_BOT_CHANNEL) : chats.find((c) => c.name !== DEMO_BOT_CHANNEL);
    if (!channel) return reply.status(404).type('text/plain').send('No demo chat: run `hoorn seed --demo`');
    const { customer, lang } = request.query;
    let identity = '';
    if (customer && channel.secrets) {
      const { identitySecret } = p.secrets.open<WebchatSecrets & Record<string, unknown>>(channel.secrets);
      identity = ` data-user-id="${escapeHtml(customer)}" data-user-hash="${userHashFor(identitySecret, customer)}"`;
    }
    return reply.type('text/html; charset=utf-8').send(demoPage({ channelId: channel.id, identity, lang, customer }));
  });
}

function demoPage(opts: { channelId: string; identity: string; lang: 'nl' | 'en'; customer?: string }): string {
  const nl = opts.lang === 'nl';
  const products = [
    ['Hoornse kaas, 1 kg', '€ 14,95'],
    ['Stroopwafels, 10 stuks', '€ 3,49'],
    ['Klompen, maat 42', '€ 29,00'],
    ['Tulpenbollen, 25 stuks', '€ 9,95'],
  ];
  return `<!doctype html>
<html lang="${opts.lang}">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${nl ? 'Webwinkel De Hoorn — demo' : 'De Hoorn web shop — demo'}</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #1d2a33; background: #f6f4ef; }
  header { background: #0b7285; color: white; padding: 1rem 2rem; display: flex; justify-content: space-between; align-items: center; }
  main { max-width: 960px; margin: 2rem auto; padding: 0 1rem; }
  .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 1rem; }
  .card { background: white; border-radius: 12px; padding: 1rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  .note { font-size: .9rem; color: #5c6b73; }
  a { color: inherit; }
</style>
</head>
<body>
<header><strong>Webwinkel De Hoorn</strong><span>${opts.customer ? `${nl ? 'Ingelogd als' : 'Logged in as'} ${escapeHtml(opts.customer)}` : `<a href="?customer=klant-42&lang=${opts.lang}">${nl ? 'Inloggen als klant 42' : 'Log in as customer 42'}</a>`}</span></header>
<main>
  <h1>${nl ? 'Lekker Hollands, snel bezorgd' : 'Dutch treats, delivered fast'}</h1>
  <p class="note">${nl ? 'Dit is een nepwinkel om de chat van Hoorn te laten zien. Vragen? Klik rechtsonder op de chat.' : 'A fake shop that shows the Hoorn chat. Questions? Click the chat at the bottom right.'}</p>
  <div class="grid">${products.map(([name, price]) => `<div class="card"><h3>${name}</h3><p>${price}</p></div>`).join('')}</div>
</main>
<script src="/widget.js" data-hoorn-channel="${opts.channelId}" data-lang="${opts.lang}"${opts.identity} async></script>
</body>
</html>`;
}
