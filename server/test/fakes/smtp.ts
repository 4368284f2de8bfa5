import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type { SendMailOptions } from 'nodemailer';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string | false; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

type SmtpFailure = { stage: 'rcpt' | 'data'; code: number; message: string };

/**
 * The provider's mail server (the relay Hoorn sends through) on loopback: a real SMTP exchange,
 * so nodemailer's client, threading headers and MIME are exercised as in production. Every
 * accepted message is kept, parsed with mailparser. `failures` answers the next sends with an
 * SMTP error; `credentials` makes AUTH required.
 */
export class FakeSmtpProvider {
  readonly received: ReceivedMail[] = [];
  readonly failures: SmtpFailure[] = [];
  private server: SMTPServer | undefined;
  port = 0;

  constructor(private readonly credentials?: { user: string; pass: string }) {}

  async start(): Promise<this> {
    const credentials = this.credentials;
    this.server = new SMTPServer({
      logger: false,
      // Plain loopback: no STARTTLS offer, AUTH without TLS allowed.
      disabledCommands: credentials ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !credentials,
      onAuth(auth, _session, callback) {
        if (credentials && auth.username === credentials.user && auth.password === credentials.pass) return callback(null, { user: auth.username });
        callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      },
      onRcptTo: (_address, _session, callback) => {
        const failure = this.failures[0]?.stage === 'rcpt' ? this.failures.shift() : undefined;
        callback(failure ? Object.assign(new Error(failure.message), { responseCode: failure.code }) : undefined);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          const failure = this.failures[0]?.stage === 'data' ? this.failures.shift() : undefined;
          if (failure) return callback(Object.assign(new Error(failure.message), { responseCode: failure.code }));
          const raw = Buffer.concat(chunks);
          this.received.push({
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : false, to: session.envelope.rcptTo.map((r) => r.address) },
            raw,
            parsed: await simpleParser(raw),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A customer's mail program: sends to Hoorn's SMTP listener on loopback. */
export function customerMailer(port: number) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5_000 });
  return {
    send: (mail: SendMailOptions) => transport.sendMail(mail),
    /** Sends bytes exactly as given (a bounce, a malformed message). */
    sendRaw: (envelope: { from: string; to: string[] }, raw: string | Buffer) => transport.sendMail({ envelope, raw }),
    close: () => transport.close(),
  };
}
