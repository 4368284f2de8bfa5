import { Api, ApiError, isRetryable, NetworkError, type Attachment, type Lang, type Session, type VisitorMessage, type WidgetConfig } from './api';
import { h, icon } from './dom';
import { contrastText, EMAIL_RE, safeColor, typeAllowed, uuid } from './files';
import { formatBytes, formatTime, translator, type Key, type Translate } from './i18n';
import { Live } from './live';
import { MessageQueue } from '@hoorn/sdk';
import { Store } from './store';
import { VideoCalls } from './video';
import { CSS } from './styles';

export interface Identity {
  userId?: string;
  userHash?: string;
  name?: string;
  email?: string;
}

export interface WidgetOptions {
  origin: string;
  channelId: string;
  lang: Lang;
  identity: Identity;
}

/** A message written here that the server has not confirmed yet (persisted, sent in order). */
interface Pending {
  cid: string;
  body: string;
  attachmentIds: string[];
  attachments: Attachment[];
  createdAt: string;
  /** The value of the bot's button this answers. */
  choice?: string;
  failed?: boolean;
  error?: string;
  uploading?: boolean;
}

/** What the message list shows: a server message or a pending one. */
interface Item {
  key: string;
  direction: 'inbound' | 'outbound';
  authorType: VisitorMessage['authorType'];
  authorName: string | null;
  body: string;
  attachments: Attachment[];
  createdAt: string;
  status: string;
  cid?: string;
  uploading?: boolean;
  buttons?: Array<{ label: string; value: string }>;
}

type View = 'loading' | 'prechat' | 'chat' | 'offline' | 'offlineSent';

const TYPING_EVERY_MS = 2000;
const TYPING_IDLE_MS = 3000;
const AGENT_TYPING_TIMEOUT_MS = 8000;

export class Widget {
  private readonly api: Api;
  /** The message the last read receipt named. */
  private readReported: string | null = null;
  private readonly store: Store;
  private readonly t: Translate;
  private readonly lang: Lang;
  private identity: Identity;

  private config: WidgetConfig | null = null;
  private token: string | null;
  private messages = new Map<string, VisitorMessage>();
  /** What the visitor wrote and the server has not confirmed: @hoorn/sdk's ordered, persisted queue. */
  private readonly outbox: MessageQueue;
  /** Files still uploading; each joins the outbox once it is uploaded. */
  private uploads: Pending[] = [];
  private olderCursor: string | null = null;
  private pagedOlder = false;
  private resuming = false;
  private offlineSent: { body: string; email: string; at: string } | null = null;
  private agentTyping: string | null = null;
  private agentTypingTimer: ReturnType<typeof setTimeout> | undefined;
  private typingOn = false;
  private typingSentAt = 0;
  private typingIdle: ReturnType<typeof setTimeout> | undefined;
  private live: Live | null = null;
  private video: VideoCalls | null = null;
  private isOpen = false;
  private wantOpen = false;
  private view: View | null = null;
  private stick = true;

  // DOM
  private root!: HTMLDivElement;
  private launcher!: HTMLButtonElement;
  private badge!: HTMLSpanElement;
  private panel!: HTMLDivElement;
  private avatar!: HTMLDivElement;
  private titleEl!: HTMLDivElement;
  private dot!: HTMLSpanElement;
  private stateText!: HTMLSpanElement;
  private waitText!: HTMLDivElement;
  private waitTimer: ReturnType<typeof setTimeout> | undefined;
  private bodyEl!: HTMLDivElement;
  private errorEl!: HTMLDivElement;
  private list: HTMLDivElement | null = null;
  private msgsEl: HTMLDivElement | null = null;
  private earlierSlot: HTMLDivElement | null = null;
  private typingSlot: HTMLDivElement | null = null;
  private noticeSlot: HTMLDivElement | null = null;
  private input: HTMLTextAreaElement | null = null;
  private els = new Map<string, { el: HTMLElement; sig: string }>();

  constructor(private readonly opts: WidgetOptions) {
    this.api = new Api(opts.origin, opts.channelId);
    this.store = new Store(`hoorn.${opts.channelId}.`);
    this.lang = opts.lang;
    this.t = translator(opts.lang);
    this.identity = { ...opts.identity };
    this.token = this.store.get('token');
    this.outbox = new MessageQueue({
      storage: this.store.storage,
      ready: () => !!this.token,
      send: (m) => this.api.send({ clientMessageId: m.clientMessageId, body: m.body, ...(m.attachmentIds.length ? { attachmentIds: m.attachmentIds } : {}), ...(m.choice ? { choice: m.choice } : {}) }),
      confirmed: (_queued, message) => {
        this.merge([message], false);
        void this.refreshWait();
        if (this.errorEl?.dataset.kind === 'network') this.showError(null);
      },
      changed: () => this.update(),
      unauthorized: () => this.dropSession(false),
      retrying: () => this.errorEl && this.showError(this.t('network'), 'network'),
    });
    // localStorage answers at once, so the list is there before anything renders.
    void this.outbox.load();
  }

  // ---------------------------------------------------------------- public API (window.Hoorn)

  open(): void {
    if (!this.config) {
      this.wantOpen = true;
      return;
    }
    if (this.isOpen) return;
    this.isOpen = true;
    this.store.set('open', '1');
    this.panel.hidden = false;
    this.root.classList.add('open');
    this.update();
    this.stick = true;
    this.scrollDown();
    this.focusFirst();
    if (!this.token) void this.refreshConfig();
    void this.refreshWait();
  }

  close(): void {
    this.wantOpen = false;
    if (!this.isOpen) return;
    const hadFocus = (this.root.getRootNode() as ShadowRoot).activeElement != null;
    this.isOpen = false;
    this.store.set('open', '0');
    this.panel.hidden = true;
    this.root.classList.remove('open');
    this.stopTyping();
    this.update();
    if (hadFocus) this.launcher.focus();
  }

  async identify(identity: Identity): Promise<void> {
    const previous = this.store.get('user');
    this.identity = { ...identity };
    if (this.token && previous && identity.userId && previous !== identity.userId) {
      // Someone else logged in on this browser: never show them the previous person's chat.
      this.dropSession(true);
    }
    if (!this.token || !identity.userId || !this.config) {
      this.rerender();
      return;
    }
    try {
      this.adopt(await this.api.session({ visitorToken: this.token, language: this.lang, ...this.identityFields(true) }));
    } catch (e) {
      this.sessionError(e);
    }
  }

  /** Forget this visitor on this browser (for a host page's logout). */
  reset(): void {
    this.dropSession(true);
    this.store.set('open', null);
    this.rerender();
  }

  // ---------------------------------------------------------------- start-up

  async start(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        this.config = await this.api.config();
        break;
      } catch (e) {
        if (!isRetryable(e) || attempt >= 6) {
          console.warn('[hoorn] chat widget disabled: cannot load the channel configuration', e);
          return;
        }
        await new Promise((r) => setTimeout(r, 1000 * 2 ** attempt));
      }
    }
    this.mount();
    const storedUser = this.store.get('user');
    if (this.token && storedUser && this.identity.userId && storedUser !== this.identity.userId) this.dropSession(true);
    addEventListener('online', () => void this.flush());
    document.addEventListener('visibilitychange', () => this.markRead());
    addEventListener('storage', (e) => {
      // Another tab started a session: pick it up instead of asking again.
      if (e.key === `hoorn.${this.opts.channelId}.token` && e.newValue && !this.token) {
        this.token = e.newValue;
        void this.resume();
      }
    });
    if (this.token) void this.resume();
    this.update();
    if (this.wantOpen || this.store.get('open') === '1') this.open();
  }

  private mount(): void {
    const config = this.config!;
    const host = document.createElement('hoorn-widget');
    host.id = 'hoorn-widget';
    const shadow = host.attachShadow({ mode: 'open' });
    // Constructed stylesheets are not subject to a host page's style-src CSP; <style> is the fallback.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } catch {
      shadow.append(h('style', null, CSS));
    }
    const t = this.t;
    const color = safeColor(config.color);
    this.root = h('div', { class: 'hw', lang: this.lang });
    this.root.style.setProperty('--hc', color);
    this.root.style.setProperty('--hct', contrastText(color));

    this.badge = h('span', { class: 'badge', 'data-testid': 'hoorn-unread', 'aria-hidden': 'true', hidden: true });
    this.launcher = h('button', {
      type: 'button',
      class: 'launcher',
      'data-testid': 'hoorn-launcher',
      'aria-controls': 'hoorn-panel',
      'aria-expanded': 'false',
      onclick: () => (this.isOpen ? this.close() : this.open()),
    });

    this.avatar = h('div', { class: 'avatar', 'aria-hidden': 'true' });
    this.titleEl = h('div', { class: 'title', id: 'hoorn-title' });
    this.dot = h('span', { class: 'dot', 'aria-hidden': 'true' });
    this.stateText = h('span');
    this.waitText = h('div', { class: 'wait', 'data-testid': 'hoorn-wait', 'aria-live': 'polite', hidden: true });
    this.bodyEl = h('div', { class: 'body' });
    this.errorEl = h('div', { class: 'error', 'data-testid': 'widget-error', role: 'alert', hidden: true });
    this.panel = h(
      'div',
      { class: 'panel', id: 'hoorn-panel', 'data-testid': 'hoorn-panel', role: 'dialog', 'aria-labelledby': 'hoorn-title', hidden: true },
      h(
        'div',
        { class: 'head' },
        this.avatar,
        h('div', { class: 'who' }, this.titleEl, h('div', { class: 'state' }, this.dot, this.stateText), this.waitText),
        h('button', { type: 'button', class: 'iconbtn', 'data-testid': 'hoorn-close', 'aria-label': t('closeChat'), onclick: () => this.close() }, icon('down')),
      ),
      this.bodyEl,
      this.errorEl,
    );
    this.root.append(this.panel, this.launcher);
    this.root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.isOpen) {
        e.stopPropagation();
        this.close();
        this.launcher.focus();
      }
    });
    shadow.append(this.root);
    document.body.append(host);
    this.video = new VideoCalls({ base: this.api.base, token: () => this.token, transport: { send: (frame) => this.live?.send(frame) }, t, mount: this.root });
    this.panel.querySelector('.head')?.insertBefore(this.video.button, this.panel.querySelector('.head [data-testid="hoorn-close"]'));
  }

  // ---------------------------------------------------------------- session

  private identityFields(withProfile: boolean): Partial<Identity> {
    const { userId, userHash, name, email } = this.identity;
    const out: Partial<Identity> = userId && userHash ? { userId, userHash } : {};
    if (withProfile) {
      if (name) out.name = name;
      if (email) out.email = email;
    }
    return out;
  }

  private async resume(): Promise<void> {
    const token = this.token;
    if (!token) return;
    this.resuming = true;
    this.update();
    try {
      const s = await this.api.session({ visitorToken: token, language: this.lang, ...this.identityFields(false) });
      // A different token for a different customer means the old session is gone and the server
      // started a fresh one, without the visitor's consent: ask again instead of using it.
      // (With a verified identity the server may legitimately hand back that customer's session.)
      if (s.visitorToken !== token && s.customer.id !== this.store.get('customer') && !this.identity.userId) {
        this.dropSession(false);
      } else {
        this.adopt(s);
      }
    } catch (e) {
      if (isRetryable(e)) {
        // Offline or server trouble: carry on with the stored token; the socket reconnects and
        // refetches when the server is back.
        this.api.token = token;
        this.startLive();
      } else {
        this.sessionError(e);
        this.dropSession(false);
      }
    } finally {
      this.resuming = false;
      this.update();
    }
  }

  private adopt(s: Session): void {
    const changed = s.visitorToken !== this.token;
    this.token = s.visitorToken;
    this.api.token = s.visitorToken;
    this.store.set('token', s.visitorToken);
    this.store.set('customer', s.customer.id);
    if (this.identity.userId && this.identity.userHash) this.store.set('user', this.identity.userId);
    if (changed) {
      this.messages.clear();
      this.olderCursor = null;
      this.pagedOlder = false;
      this.live?.stop();
      this.live = null;
    }
    this.startLive();
    void this.loadMessages();
    void this.flush();
    this.update();
  }

  private sessionError(e: unknown): void {
    if (e instanceof ApiError && e.code === 'invalid_user_hash') {
      this.identity = { name: this.identity.name, email: this.identity.email };
      this.showError(this.t('identity'));
      this.rerender();
    } else if (!(e instanceof ApiError && (e.status === 401 || e.status === 404))) {
      this.showError(this.errorText(e));
    }
  }

  /** Forget the session; `all` also forgets unsent messages and who was logged in (privacy). */
  private dropSession(all: boolean): void {
    this.live?.stop();
    this.live = null;
    this.token = null;
    this.api.token = null;
    this.messages.clear();
    this.olderCursor = null;
    this.pagedOlder = false;
    this.offlineSent = null;
    this.agentTyping = null;
    for (const k of ['token', 'customer', 'read']) this.store.set(k, null);
    if (all) {
      this.uploads = [];
      void this.outbox.clear();
      this.store.set('user', null);
    }
    this.update();
  }

  private async refreshConfig(): Promise<void> {
    try {
      const c = await this.api.config();
      if (this.config && c.online !== this.config.online) {
        this.config = c;
        this.update();
      } else this.config = c;
    } catch {
      // keep the one we have
    }
  }

  /**
   * While the chat waits for an agent, the head says where the visitor is in line and about how
   * long it takes; checked every 15 seconds while the panel is open, and after each message.
   */
  private async refreshWait(): Promise<void> {
    clearTimeout(this.waitTimer);
    if (!this.token || !this.isOpen) return;
    let waiting = false;
    try {
      const w = await this.api.wait();
      waiting = w.state === 'waiting';
      if (waiting) {
        const position = w.position ? this.t('waitPosition').replace('{n}', String(w.position)) : this.t('waitQueued');
        const minutes = w.estimatedWaitSeconds ? Math.max(1, Math.round(w.estimatedWaitSeconds / 60)) : null;
        this.waitText.textContent = minutes ? `${position} · ${this.t('waitMinutes').replace('{n}', String(minutes))}` : position;
      }
    } catch {
      waiting = !this.waitText.hidden; // keep what we showed; try again later
    }
    this.waitText.hidden = !waiting;
    if (waiting) this.waitTimer = setTimeout(() => void this.refreshWait(), 15_000);
  }

  // ---------------------------------------------------------------- messages

  private async loadMessages(cursor?: string): Promise<void> {
    if (!this.token) return;
    try {
      const page = await this.api.messages(cursor);
      if (cursor) {
        this.pagedOlder = true;
        this.olderCursor = page.nextCursor;
      } else if (!this.pagedOlder) this.olderCursor = page.nextCursor;
      this.merge(page.items, false);
      if (this.store.get('read') == null) this.store.set('read', String(this.maxSeq()));
      this.update();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        this.dropSession(false);
      }
    }
  }

  private async loadEarlier(): Promise<void> {
    if (!this.olderCursor || !this.list) return;
    const list = this.list;
    const fromBottom = list.scrollHeight - list.scrollTop;
    await this.loadMessages(this.olderCursor);
    list.scrollTop = list.scrollHeight - fromBottom;
  }

  private merge(items: VisitorMessage[], live: boolean): void {
    for (const m of items) {
      if (!m || typeof m.id !== 'string') continue;
      m.attachments ??= [];
      this.messages.set(m.id, m);
      // The server has this one of ours (seen in the history): it leaves the queue, unsent again.
      if (m.direction === 'inbound' && m.clientMessageId) this.outbox.confirm(m);
      if (live && m.direction === 'outbound') {
        this.offlineSent = null;
        this.agentTyping = null;
      }
    }
  }

  private maxSeq(): number {
    let max = 0;
    for (const m of this.messages.values()) if (m.seq > max) max = m.seq;
    return max;
  }

  private unread(): number {
    const read = Number(this.store.get('read') ?? Infinity);
    let n = 0;
    for (const m of this.messages.values()) if (m.direction === 'outbound' && m.seq > read) n++;
    return n;
  }

  private markRead(): void {
    if (this.isOpen && this.view === 'chat' && document.visibilityState === 'visible' && this.unread() > 0) {
      this.store.set('read', String(this.maxSeq()));
      this.renderBadge();
      this.sendReadReceipt();
    }
  }

  /** Tells the desk the visitor has seen the newest agent or bot message (once per message; a lost one is covered by the next). */
  private sendReadReceipt(): void {
    let newest: VisitorMessage | undefined;
    for (const m of this.messages.values()) if (m.direction === 'outbound' && m.authorType !== 'system' && (!newest || m.seq > newest.seq)) newest = m;
    if (!newest || newest.status === 'read' || newest.id === this.readReported) return;
    const id = newest.id;
    this.readReported = id;
    this.api.read(id).catch(() => {
      if (this.readReported === id) this.readReported = null;
    });
  }

  // ---------------------------------------------------------------- sending

  private enqueue(p: Pending): void {
    this.stick = true;
    void this.outbox.add({ clientMessageId: p.cid, body: p.body, attachmentIds: p.attachmentIds, attachments: p.attachments, createdAt: p.createdAt, ...(p.choice ? { choice: p.choice } : {}) });
  }

  /** Send what waits now (session started, socket reconnected, browser online again). */
  private async flush(): Promise<void> {
    this.outbox.retryNow();
  }

  private retry(cid: string): void {
    this.outbox.retry(cid);
  }

  private sendComposer(): void {
    const input = this.input;
    if (!input) return;
    const body = input.value.trim();
    if (!body) return;
    input.value = '';
    this.autosize();
    this.stopTyping();
    this.showError(null);
    this.enqueue({ cid: uuid(), body, attachmentIds: [], attachments: [], createdAt: new Date().toISOString() });
    input.focus();
  }

  private async sendFiles(files: File[]): Promise<void> {
    const limits = this.config!.attachments;
    this.showError(null);
    for (const file of files) {
      if (limits.maxBytes > 0 && file.size > limits.maxBytes) {
        this.showError(this.t('tooLarge', { file: file.name, max: formatBytes(limits.maxBytes, this.lang) }));
        continue;
      }
      if (!typeAllowed(file, limits.types)) {
        this.showError(this.t('badType', { file: file.name }));
        continue;
      }
      const p: Pending = {
        cid: uuid(),
        body: '',
        attachmentIds: [],
        attachments: [{ id: '', name: file.name, contentType: file.type, size: file.size }],
        createdAt: new Date().toISOString(),
        uploading: true,
      };
      this.uploads.push(p);
      this.stick = true;
      this.update();
      try {
        const a = await this.api.upload(file);
        p.attachmentIds = [a.id];
        p.attachments = [a];
        p.uploading = false;
        this.uploads = this.uploads.filter((q) => q !== p);
        this.enqueue(p);
      } catch (e) {
        this.uploads = this.uploads.filter((q) => q !== p);
        this.showError(
          e instanceof ApiError && e.code === 'attachment_too_large'
            ? this.t('tooLarge', { file: file.name, max: formatBytes(limits.maxBytes, this.lang) })
            : e instanceof ApiError && e.code === 'attachment_type_not_allowed'
              ? this.t('badType', { file: file.name })
              : this.t('uploadFailed', { file: file.name }),
        );
      }
      this.update();
    }
  }

  // ---------------------------------------------------------------- typing

  private onComposerInput(): void {
    this.autosize();
    if (!this.input?.value.trim()) {
      this.stopTyping();
      return;
    }
    const now = Date.now();
    if (!this.typingOn || now - this.typingSentAt >= TYPING_EVERY_MS) {
      this.live?.send({ type: 'typing', typing: true });
      this.typingOn = true;
      this.typingSentAt = now;
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    if (!this.typingOn) return;
    this.typingOn = false;
    this.live?.send({ type: 'typing', typing: false });
  }

  // ---------------------------------------------------------------- live

  private startLive(): void {
    if (this.live || !this.token) return;
    this.live = new Live(() => this.api.wsUrl(), {
      open: () => {
        // Fill whatever was missed while disconnected, then send what waited.
        void this.loadMessages();
        void this.flush();
        void this.video?.refresh();
      },
      message: (d) => this.onLive(d as { type?: string; [k: string]: unknown }),
    });
    this.live.start();
  }

  private onLive(d: { type?: string; [k: string]: unknown }): void {
    if (this.video?.handle(d)) return;
    if (d.type === 'message' && d.message && typeof d.message === 'object') {
      this.merge([d.message as VisitorMessage], true);
    } else if (d.type === 'agent_typing') {
      clearTimeout(this.agentTypingTimer);
      this.agentTyping = d.typing ? (typeof d.agentName === 'string' && d.agentName) || this.t('agent') : null;
      if (this.agentTyping) {
        this.agentTypingTimer = setTimeout(() => {
          this.agentTyping = null;
          this.update();
        }, AGENT_TYPING_TIMEOUT_MS);
      }
    } else if (d.type === 'status' && typeof d.messageId === 'string') {
      const m = this.messages.get(d.messageId);
      if (m && typeof d.status === 'string') m.status = d.status as VisitorMessage['status'];
    } else return;
    this.update();
  }

  // ---------------------------------------------------------------- rendering

  private currentView(): View {
    if (!this.config) return 'loading';
    if (this.offlineSent) return 'offlineSent';
    if (this.token) return this.resuming && this.messages.size === 0 ? 'loading' : 'chat';
    return this.config.online ? 'prechat' : 'offline';
  }

  /** Rebuild the panel body even if the view did not change (identity or language changed). */
  private rerender(): void {
    this.view = null;
    this.update();
  }

  private update(): void {
    if (!this.config || !this.root) return;
    const config = this.config;
    const t = this.t;
    const view = this.currentView();
    if (view !== this.view) {
      const hadFocus = this.panel.contains((this.root.getRootNode() as ShadowRoot).activeElement);
      this.view = view;
      this.renderBody(view);
      if (this.isOpen && (hadFocus || view === 'chat')) this.focusFirst();
    }
    // Header and launcher.
    const name = config.name || 'Chat';
    this.titleEl.textContent = name;
    this.avatar.textContent = name.trim().charAt(0).toUpperCase();
    this.panel.setAttribute('aria-label', t('chatWith', { name }));
    this.dot.classList.toggle('on', config.online);
    this.stateText.textContent = t(config.online ? 'online' : 'offline');
    this.launcher.setAttribute('aria-expanded', String(this.isOpen));
    const glyph = this.isOpen ? 'close' : 'chat';
    if (this.launcher.dataset.icon !== glyph) {
      this.launcher.dataset.icon = glyph;
      this.launcher.replaceChildren(icon(glyph), this.badge);
    }
    if (this.noticeSlot && this.noticeSlot.hasChildNodes() === config.online) {
      this.noticeSlot.replaceChildren(...(config.online ? [] : [h('div', { class: 'notice', role: 'note' }, icon('mail'), t('offlineBanner'))]));
    }
    this.renderMessages();
    this.markRead();
    this.renderBadge();
  }

  private renderBadge(): void {
    const n = this.isOpen && this.view === 'chat' ? 0 : this.unread();
    this.badge.hidden = n === 0;
    this.badge.textContent = n > 9 ? '9+' : String(n);
    const label = this.t(this.isOpen ? 'closeChat' : 'openChat');
    this.launcher.setAttribute('aria-label', n ? `${label} (${this.t('unread', { n })})` : label);
  }

  private renderBody(view: View): void {
    this.list = this.msgsEl = this.earlierSlot = this.typingSlot = this.noticeSlot = this.input = null;
    this.els.clear();
    let content: HTMLElement;
    switch (view) {
      case 'loading':
        content = h('div', { class: 'center', role: 'status' }, this.t('loading'));
        break;
      case 'prechat':
        content = this.renderPrechat();
        break;
      case 'offline':
        content = this.renderOfflineForm();
        break;
      case 'offlineSent':
        content = this.renderOfflineSent();
        break;
      case 'chat':
        content = this.renderChat();
        break;
    }
    this.bodyEl.replaceChildren(content);
  }

  private field(label: Key, control: HTMLElement, optional = false): HTMLElement {
    return h('label', { class: 'field' }, h('span', null, this.t(label), optional && h('small', null, ` (${this.t('optional')})`)), control);
  }

  private consentBox(testid: string): HTMLInputElement {
    return h('input', { type: 'checkbox', 'data-testid': testid, name: 'consent' });
  }

  private consentText(): string {
    const c = this.config!.consentText;
    return c?.[this.lang] || c?.[this.lang === 'nl' ? 'en' : 'nl'] || this.t('consent');
  }

  private greeting(): string {
    const g = this.config!.greeting;
    return g?.[this.lang] || '';
  }

  private invalid(el: HTMLInputElement | HTMLTextAreaElement, message: Key): false {
    el.setAttribute('aria-invalid', 'true');
    this.showError(this.t(message));
    el.focus();
    return false;
  }

  private renderPrechat(): HTMLElement {
    const config = this.config!;
    const id = this.identity;
    const verified = !!(id.userId && id.userHash);
    const nameInput = h('input', { class: 'input', 'data-testid': 'prechat-name', name: 'name', autocomplete: 'name', value: id.name ?? '' });
    const emailInput = h('input', { class: 'input', 'data-testid': 'prechat-email', name: 'email', type: 'email', autocomplete: 'email', value: id.email ?? '', required: config.requireEmail });
    const consent = this.consentBox('prechat-consent');
    const submit = h('button', { type: 'submit', class: 'btn', 'data-testid': 'prechat-submit' }, this.t('start'));
    const showName = !(verified && id.name);
    const showEmail = !(verified && (id.email || !config.requireEmail));
    const greeting = this.greeting();

    const onSubmit = async (e: Event) => {
      e.preventDefault();
      const name = nameInput.value.trim();
      const email = emailInput.value.trim();
      for (const el of [nameInput, emailInput]) el.removeAttribute('aria-invalid');
      if ((email || config.requireEmail) && !EMAIL_RE.test(email)) return this.invalid(emailInput, 'needEmail');
      if (!consent.checked) return this.invalid(consent, 'needConsent');
      this.showError(null);
      submit.disabled = true;
      try {
        const s = await this.api.session({
          ...(name ? { name } : {}),
          ...(email ? { email } : {}),
          consent: true,
          language: this.lang,
          ...this.identityFields(false),
        });
        this.adopt(s);
      } catch (err) {
        if (err instanceof ApiError && err.code === 'invalid_user_hash') this.sessionError(err);
        else this.showError(this.errorText(err));
      } finally {
        submit.disabled = false;
      }
      return undefined;
    };

    return h(
      'form',
      { class: 'form', 'data-testid': 'prechat-form', novalidate: true, onsubmit: (e) => void onSubmit(e) },
      greeting && h('p', { class: 'intro' }, greeting),
      showName && this.field('name', nameInput, true),
      showEmail && this.field('email', emailInput, !config.requireEmail),
      h('label', { class: 'check' }, consent, h('span', null, this.consentText())),
      submit,
    );
  }

  private renderOfflineForm(): HTMLElement {
    const id = this.identity;
    const nameInput = h('input', { class: 'input', 'data-testid': 'offline-name', name: 'name', autocomplete: 'name', required: true, value: id.name ?? '' });
    const emailInput = h('input', { class: 'input', 'data-testid': 'offline-email', name: 'email', type: 'email', autocomplete: 'email', required: true, value: id.email ?? '' });
    const message = h('textarea', { class: 'input', 'data-testid': 'offline-message', name: 'message', rows: 4, required: true });
    const consent = this.consentBox('offline-consent');
    const submit = h('button', { type: 'submit', class: 'btn', 'data-testid': 'offline-submit' }, this.t('offlineSubmit'));

    const onSubmit = async (e: Event) => {
      e.preventDefault();
      const name = nameInput.value.trim();
      const email = emailInput.value.trim();
      const body = message.value.trim();
      for (const el of [nameInput, emailInput, message]) el.removeAttribute('aria-invalid');
      if (!name) return this.invalid(nameInput, 'needName');
      if (!EMAIL_RE.test(email)) return this.invalid(emailInput, 'needEmail');
      if (!body) return this.invalid(message, 'needMessage');
      if (!consent.checked) return this.invalid(consent, 'needConsent');
      this.showError(null);
      submit.disabled = true;
      try {
        const r = await this.api.offline({ name, email, body, consent: true, language: this.lang });
        this.token = r.visitorToken;
        this.api.token = r.visitorToken;
        this.store.set('token', r.visitorToken);
        this.offlineSent = { body, email, at: new Date().toISOString() };
        // Keep listening: if someone answers while the visitor is still here, the chat opens up.
        this.startLive();
        void this.loadMessages();
        this.update();
      } catch (err) {
        this.showError(this.errorText(err));
      } finally {
        submit.disabled = false;
      }
      return undefined;
    };

    return h(
      'form',
      { class: 'form', 'data-testid': 'offline-form', novalidate: true, onsubmit: (e) => void onSubmit(e) },
      h('p', { class: 'intro' }, this.t('offlineIntro')),
      this.field('name', nameInput),
      this.field('email', emailInput),
      this.field('message', message),
      h('label', { class: 'check' }, consent, h('span', null, this.consentText())),
      submit,
    );
  }

  private renderOfflineSent(): HTMLElement {
    const sent = this.offlineSent!;
    const item: Item = { key: 'offline', direction: 'inbound', authorType: 'customer', authorName: null, body: sent.body, attachments: [], createdAt: sent.at, status: 'received' };
    return h(
      'div',
      { class: 'sent', 'data-testid': 'offline-sent', role: 'status' },
      h('div', { class: 'ok' }, icon('check'), this.t('offlineSent')),
      this.messageEl(item, false),
      h('div', { class: 'note' }, this.t('offlineNote', { email: sent.email })),
    );
  }

  private renderChat(): HTMLElement {
    const t = this.t;
    const config = this.config!;
    this.list = h('div', { class: 'list', 'data-testid': 'message-list', role: 'log', 'aria-live': 'polite', 'aria-label': t('messages'), tabindex: '0' });
    this.list.addEventListener('scroll', () => {
      const l = this.list!;
      this.stick = l.scrollHeight - l.scrollTop - l.clientHeight < 60;
    });
    this.earlierSlot = h('div');
    this.msgsEl = h('div', { class: 'msgs' });
    this.typingSlot = h('div');
    const greeting = this.greeting();
    this.list.append(
      this.earlierSlot,
      greeting && h('div', { class: 'msg greet' }, h('div', { class: 'author' }, config.name), h('div', { class: 'bubble' }, greeting)),
      this.msgsEl,
      this.typingSlot,
    );

    const input = h('textarea', { rows: 1, 'data-testid': 'composer-input', 'aria-label': t('message'), placeholder: t('placeholder'), enterkeyhint: 'send' });
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendComposer();
      }
    });
    input.addEventListener('input', () => this.onComposerInput());
    input.addEventListener('blur', () => this.stopTyping());
    this.input = input;

    const limits = config.attachments;
    const canAttach = !limits || limits.maxBytes !== 0;
    const file = h('input', { type: 'file', 'data-testid': 'composer-file', hidden: true, tabindex: '-1', multiple: true, accept: limits?.types?.length ? limits.types.join(',') : null });
    file.addEventListener('change', () => {
      const files = Array.from(file.files ?? []);
      file.value = '';
      if (files.length) void this.sendFiles(files);
    });

    this.noticeSlot = h('div');
    const composer = h(
      'form',
      {
        class: 'composer',
        onsubmit: (e) => {
          e.preventDefault();
          this.sendComposer();
        },
      },
      canAttach && h('button', { type: 'button', class: 'iconbtn', 'aria-label': t('attach'), title: t('attach'), onclick: () => file.click() }, icon('clip')),
      file,
      input,
      h('button', { type: 'submit', class: 'send', 'data-testid': 'composer-send', 'aria-label': t('send'), title: t('send') }, icon('send')),
    );
    return h('div', { class: 'chat' }, this.list, this.noticeSlot, composer);
  }

  private items(): Item[] {
    const server = [...this.messages.values()].sort((a, b) => a.seq - b.seq || a.createdAt.localeCompare(b.createdAt));
    const out: Item[] = server.map((m) => ({ key: m.id, direction: m.direction, authorType: m.authorType, authorName: m.authorName, body: m.body, attachments: m.attachments, createdAt: m.createdAt, status: m.status, buttons: m.buttons }));
    const queued = this.outbox.items.map((q) => ({ cid: q.clientMessageId, body: q.body, attachments: q.attachments, createdAt: q.createdAt, failed: q.failed, uploading: false }));
    for (const p of [...queued, ...this.uploads]) {
      out.push({
        key: `c:${p.cid}`,
        cid: p.cid,
        direction: 'inbound',
        authorType: 'customer',
        authorName: null,
        body: p.body,
        attachments: p.attachments,
        createdAt: p.createdAt,
        status: p.failed ? 'failed' : 'pending',
        uploading: p.uploading,
      });
    }
    return out;
  }

  private renderMessages(): void {
    const msgsEl = this.msgsEl;
    if (!msgsEl || !this.list) return;
    const items = this.items();
    const seen = new Set<string>();
    let prev: Item | null = null;
    let cursor: ChildNode | null = msgsEl.firstChild;
    for (const m of items) {
      const showAuthor = m.direction === 'outbound' && m.authorType !== 'system' && !!m.authorName && (prev?.direction !== 'outbound' || prev.authorName !== m.authorName);
      const last = m.buttons?.length ? m.key === items.at(-1)?.key : false;
      const sig = `${m.status}|${showAuthor}|${m.body.length}|${m.attachments.map((a) => a.id).join()}|${m.uploading ?? ''}|${last}`;
      let rec = this.els.get(m.key);
      if (!rec || rec.sig !== sig) {
        const el = this.messageEl(m, showAuthor);
        if (rec) {
          if (cursor === rec.el) cursor = el;
          rec.el.replaceWith(el);
        }
        rec = { el, sig };
        this.els.set(m.key, rec);
      }
      seen.add(m.key);
      if (cursor !== rec.el) msgsEl.insertBefore(rec.el, cursor);
      cursor = rec.el.nextSibling;
      prev = m;
    }
    for (const [k, rec] of this.els) {
      if (!seen.has(k)) {
        rec.el.remove();
        this.els.delete(k);
      }
    }
    const earlier = this.earlierSlot;
    if (earlier && !!this.olderCursor !== earlier.hasChildNodes()) {
      earlier.replaceChildren(...(this.olderCursor ? [h('button', { type: 'button', class: 'earlier', onclick: () => void this.loadEarlier() }, this.t('earlier'))] : []));
    }
    // Rebuilt only when it changes, so screen readers announce it once.
    const typing = this.typingSlot;
    if (typing && (typing.dataset.who ?? '') !== (this.agentTyping ?? '')) {
      typing.dataset.who = this.agentTyping ?? '';
      typing.replaceChildren(
        ...(this.agentTyping
          ? [h('div', { class: 'typing', 'data-testid': 'agent-typing', role: 'status' }, h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), this.t('typing', { name: this.agentTyping }))]
          : []),
      );
    }
    this.scrollDown();
  }

  private scrollDown(): void {
    if (this.stick && this.list) this.list.scrollTop = this.list.scrollHeight;
  }

  private messageEl(m: Item, showAuthor: boolean): HTMLElement {
    const t = this.t;
    const mine = m.direction === 'inbound';
    const sys = m.authorType === 'system';
    const bubble = h('div', { class: 'bubble' }, m.body && h('div', { class: 'text' }, m.body));
    for (const a of m.attachments) bubble.append(this.attachmentEl(a));
    // A bot's question: its choices as buttons, until the customer has answered (anything after it).
    if (m.buttons?.length && this.items().at(-1)?.key === m.key) {
      bubble.append(
        h(
          'div',
          { class: 'choices' },
          ...m.buttons.map((b) =>
            h('button', { type: 'button', class: 'choice', 'data-testid': 'choice-button', onclick: () => this.enqueue({ cid: uuid(), body: b.label, choice: b.value, attachmentIds: [], attachments: [], createdAt: new Date().toISOString() }) }, b.label),
          ),
        ),
      );
    }
    const time = h('time', { datetime: m.createdAt, title: new Date(m.createdAt).toLocaleString(this.lang) }, formatTime(m.createdAt, this.lang));
    const meta = h('div', { class: 'meta' });
    if (m.status === 'pending') meta.append(t(m.uploading ? 'uploading' : 'sending'));
    else if (m.status === 'failed' && m.cid) {
      const cid = m.cid;
      meta.append(t('notSent'), ' · ', h('button', { type: 'button', class: 'linkbtn', 'data-testid': 'message-retry', onclick: () => this.retry(cid) }, t('retry')));
    } else {
      meta.append(time);
      if (mine && m.status === 'read') meta.append(` · ${t('read')}`);
    }
    return h(
      'div',
      {
        class: `msg ${sys ? 'sys' : mine ? 'me' : 'them'} st-${m.status}`,
        'data-testid': 'message',
        'data-direction': m.direction,
        'data-status': m.status,
        'data-id': m.cid ? null : m.key,
      },
      showAuthor && h('div', { class: 'author' }, m.authorName ?? ''),
      bubble,
      !sys && meta,
    );
  }

  private attachmentEl(a: Attachment): HTMLElement {
    const size = h('span', { class: 'sz' }, formatBytes(a.size, this.lang));
    if (!a.id) return h('span', { class: 'att' }, icon('file'), h('span', { class: 'fn' }, a.name), size);
    const url = this.api.attachmentUrl(a.id);
    const link = h('a', { class: 'att', href: url, target: '_blank', rel: 'noopener noreferrer', referrerpolicy: 'no-referrer', title: a.name });
    if (a.contentType?.startsWith('image/')) {
      const img = h('img', { src: url, alt: a.name, loading: 'lazy', referrerpolicy: 'no-referrer' });
      img.addEventListener('load', () => this.scrollDown());
      link.append(img);
    } else link.append(icon('file'), h('span', { class: 'fn' }, a.name), size);
    return link;
  }

  private autosize(): void {
    const el = this.input;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 140)}px`;
  }

  private focusFirst(): void {
    if (!this.isOpen) return;
    const q = (sel: string) => this.panel.querySelector<HTMLElement>(sel);
    // On touch screens focusing a text field pops up the keyboard over the panel: start on the
    // close button there, inside the dialog all the same.
    const touch = matchMedia('(pointer: coarse)').matches;
    const target = touch ? q('[data-testid=hoorn-close]') : (q('[data-testid=composer-input]') ?? q('.form input, .form textarea') ?? q('.body button'));
    target?.focus({ preventScroll: true });
  }

  private showError(text: string | null, kind = ''): void {
    this.errorEl.textContent = text ?? '';
    this.errorEl.hidden = !text;
    this.errorEl.dataset.kind = text ? kind : '';
  }

  private errorText(e: unknown): string {
    if (e instanceof NetworkError) return this.t('network');
    return this.t('generic');
  }
}
