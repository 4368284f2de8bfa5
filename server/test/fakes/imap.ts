import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A mailbox server on loopback speaking the small part of IMAP4rev1 (RFC 3501) that imapflow
 * uses to read mail: LOGIN, LIST, SELECT/EXAMINE, UID FETCH of whole messages, STATUS, NOOP and
 * LOGOUT. Real TCP and the real protocol, so Hoorn's polling runs as against a provider. Every
 * command is recorded; `messages` is the one mailbox, with the UIDs the test gives it.
 */
export class FakeImapServer {
  readonly commands: string[] = [];
  readonly messages: Array<{ uid: number; raw: Buffer }> = [];
  uidValidity = 7;
  uidNext = 1;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly credentials: { user: string; pass: string }, readonly mailbox = 'INBOX') {}

  /** Delivers a message into the mailbox: it gets the next UID. */
  deliver(raw: string | Buffer): number {
    const uid = this.uidNext++;
    this.messages.push({ uid, raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw.replace(/\r?\n/g, '\r\n')) });
    return uid;
  }

  async start(): Promise<this> {
    this.server = net.createServer((socket) => this.session(socket));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private session(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let authenticated = false;
    let selected = false;
    const send = (line: string | Buffer) => socket.write(line);
    send('* OK [CAPABILITY IMAP4rev1] Fake IMAP ready\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        this.commands.push(line);
        const [tag, rawCommand = '', ...rest] = line.split(' ');
        const command = rawCommand.toUpperCase();
        const args = rest.join(' ');
        const ok = (text: string) => send(`${tag} OK ${text}\r\n`);
        const bad = (text: string) => send(`${tag} BAD ${text}\r\n`);
        const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1').replace(/\\(["\\])/g, '$1');
        switch (command) {
          case 'CAPABILITY':
            send('* CAPABILITY IMAP4rev1\r\n');
            ok('CAPABILITY completed');
            break;
          case 'NOOP':
            ok('NOOP completed');
            break;
          case 'LOGIN': {
            const m = args.match(/^("(?:[^"\\]|\\.)*"|\S+) ("(?:[^"\\]|\\.)*"|\S+)$/);
            if (m && unquote(m[1]!) === this.credentials.user && unquote(m[2]!) === this.credentials.pass) {
              authenticated = true;
              ok('[CAPABILITY IMAP4rev1] Logged in');
            } else send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
            break;
          }
          case 'LIST':
          case 'LSUB': {
            if (!authenticated) return bad('Log in first');
            // `LIST "" ""` asks for the hierarchy delimiter; otherwise the one mailbox, when it matches.
            const pattern = unquote(args.replace(/^""\s*/, '').trim());
            if (pattern === '') send(`* ${command} (\\Noselect) "/" ""\r\n`);
            else if (pattern === this.mailbox || pattern === '*' || pattern === '%') send(`* ${command} (\\HasNoChildren) "/" "${this.mailbox}"\r\n`);
            ok(`${command} completed`);
            break;
          }
          case 'SELECT':
          case 'EXAMINE': {
            if (!authenticated) return bad('Log in first');
            if (unquote(args.trim()) !== this.mailbox) return send(`${tag} NO [NONEXISTENT] Unknown mailbox\r\n`);
            selected = true;
            send('* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n');
            send(`* ${this.messages.length} EXISTS\r\n`);
            send('* 0 RECENT\r\n');
            send(`* OK [UIDVALIDITY ${this.uidValidity}] UIDs valid\r\n`);
            send(`* OK [UIDNEXT ${this.uidNext}] Predicted next UID\r\n`);
            ok(`[${command === 'EXAMINE' ? 'READ-ONLY' : 'READ-WRITE'}] ${command} completed`);
            break;
          }
          case 'STATUS': {
            if (!authenticated) return bad('Log in first');
            send(`* STATUS ${this.mailbox} (MESSAGES ${this.messages.length} UIDNEXT ${this.uidNext} UIDVALIDITY ${this.uidValidity})\r\n`);
            ok('STATUS completed');
            break;
          }
          case 'UID': {
            if (!selected) return bad('Select a mailbox first');
            const m = args.match(/^FETCH (\S+) /i);
            if (!m) return bad('Only UID FETCH is supported');
            for (const [index, message] of this.messages.entries()) {
              if (!inSet(message.uid, m[1]!, this.uidNext - 1)) continue;
              send(`* ${index + 1} FETCH (UID ${message.uid} BODY[] {${message.raw.length}}\r\n`);
              send(message.raw);
              send(')\r\n');
            }
            ok('UID FETCH completed');
            break;
          }
          case 'CLOSE':
            selected = false;
            ok('CLOSE completed');
            break;
          case 'LOGOUT':
            send('* BYE Logging out\r\n');
            ok('LOGOUT completed');
            socket.end();
            break;
          default:
            bad(`Unsupported command ${command}`);
        }
      }
    });
  }
}

/** Whether a UID is in an IMAP sequence set ("1:5,8,10:*"). */
function inSet(uid: number, set: string, largest: number): boolean {
  return set.split(',').some((part) => {
    const [a, b = a] = part.split(':').map((x) => (x === '*' ? largest : Number(x)));
    return uid >= Math.min(a!, b!) && uid <= Math.max(a!, b!);
  });
}
