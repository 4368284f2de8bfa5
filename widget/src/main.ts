// Entry point of widget.js. Embedding:
//   <script src="https://hoorn.example/widget.js" data-hoorn-channel="CHANNEL_ID" async></script>
// Optional: data-lang (nl|en), data-user-id + data-user-hash (verified identity), data-name, data-email.
// Page API: window.Hoorn.open(), .close(), .identify({ userId, userHash, name, email }), .reset().
// Calls made before the script loaded can be queued as `window.Hoorn = { q: [['open'], ...] }`.
import { pickLang } from './i18n';
import { Widget, type Identity } from './widget';

interface HoornApi {
  open(): void;
  close(): void;
  identify(identity: Identity): void;
  reset(): void;
}

declare global {
  interface Window {
    Hoorn?: HoornApi | { q?: Array<[string, ...unknown[]]> };
  }
}

// Captured now: document.currentScript is only set while this script first runs.
const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[data-hoorn-channel]');

function boot(): void {
  const channelId = script?.dataset.hoornChannel;
  if (!script || !channelId) {
    console.warn('[hoorn] chat widget: data-hoorn-channel is missing on the <script> tag');
    return;
  }
  if (document.getElementById('hoorn-widget') || (window as { __hoorn?: boolean }).__hoorn) return;
  (window as { __hoorn?: boolean }).__hoorn = true;

  const d = script.dataset;
  const origin = script.src ? new URL(script.src, location.href).origin : location.origin;
  const identity: Identity = {};
  if (d.userId) identity.userId = d.userId;
  if (d.userHash) identity.userHash = d.userHash;
  if (d.name) identity.name = d.name;
  if (d.email) identity.email = d.email;

  const widget = new Widget({
    origin,
    channelId,
    lang: pickLang(d.lang, document.documentElement.lang, navigator.language),
    identity,
  });

  const earlier = window.Hoorn && 'q' in window.Hoorn ? (window.Hoorn.q ?? []) : [];
  const api: HoornApi = {
    open: () => widget.open(),
    close: () => widget.close(),
    identify: (i) => void widget.identify(i ?? {}),
    reset: () => widget.reset(),
  };
  window.Hoorn = api;
  for (const [method, ...args] of earlier) {
    const fn = (api as unknown as Record<string, ((...a: unknown[]) => void) | undefined>)[method];
    fn?.(...args);
  }

  const go = () => void widget.start();
  if (document.body) go();
  else document.addEventListener('DOMContentLoaded', go, { once: true });
}

boot();
