import { FakeServer } from './server.ts';

/**
 * Telegram's Bot API as the adapter uses it: sendMessage / sendDocument answer
 * {"ok":true,"result":Message}, getFile a File, getMe a User; errors {"ok":false,...}.
 * `failNext` makes the next send answer an error, as Telegram does.
 */
export class FakeTelegram extends FakeServer {
  private nextId = 100;
  readonly failures: Array<{ status: number; body: unknown }> = [];

  constructor(readonly token: string) {
    super();
    const bot = `/bot${token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
    const send = (chat: unknown, extra: Record<string, unknown>) => {
      const failure = this.failures.shift();
      if (failure) return failure;
      return { body: { ok: true, result: { message_id: ++this.nextId, date: 1_800_000_000, chat: { id: Number(chat), type: 'private' }, ...extra } } };
    };
    this.on('POST', new RegExp(`^${bot}/sendMessage$`), (r) => send(r.json?.chat_id, { text: r.json?.text }));
    this.on('POST', new RegExp(`^${bot}/sendDocument$`), (r) => send(/name="chat_id"\r\n\r\n(-?\d+)/.exec(r.body.toString('latin1'))?.[1], { document: { file_id: 'doc' } }));
    this.on('GET', new RegExp(`^${bot}/getMe$`), () => ({ body: { ok: true, result: { id: 42, is_bot: true, first_name: 'Hoorn', username: 'hoorn_test_bot' } } }));
    this.on('GET', new RegExp(`^${bot}/getFile$`), (r) => ({ body: { ok: true, result: { file_id: new URL(r.url, 'http://x').searchParams.get('file_id'), file_path: 'photos/file_1.jpg' } } }));
    this.on('GET', new RegExp(`^/file${bot}/photos/file_1\\.jpg$`), () => ({ headers: { 'content-type': 'image/jpeg' }, body: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]) }));
    this.on('GET', /^\/bot[^/]+\/getMe$/, () => ({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } }));
  }

  /** An Update for a private chat message, as Telegram posts it to the webhook. */
  static update(updateId: number, opts: { chatId?: number; messageId?: number; text?: string; firstName?: string; photo?: boolean } = {}) {
    const chatId = opts.chatId ?? 777000111;
    return {
      update_id: updateId,
      message: {
        message_id: opts.messageId ?? updateId,
        from: { id: chatId, is_bot: false, first_name: opts.firstName ?? 'Sanne', last_name: 'de Vries', language_code: 'nl' },
        chat: { id: chatId, first_name: opts.firstName ?? 'Sanne', type: 'private' },
        date: 1_795_000_000,
        ...(opts.photo ? { photo: [{ file_id: 'small', file_unique_id: 's', width: 90, height: 90 }, { file_id: 'large', file_unique_id: 'l', width: 800, height: 600 }], caption: opts.text } : { text: opts.text ?? 'Hallo, mijn bestelling is niet aangekomen' }),
      },
    };
  }
}
