import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailConfig } from '../../src/channels/email/email.config.ts';
import { planImapPass } from '../../src/channels/email/email.imap.ts';
import {
  autoReplyReason,
  findSubjectToken,
  foldQuotedHistory,
  htmlToText,
  messageIdsIn,
  normalizeMessageId,
  readEmail,
  replySubject,
  sanitizeEmailHtml,
  subjectTokenOf,
} from '../../src/channels/email/email.parse.ts';
import { buildReply, classifySmtpError } from '../../src/channels/email/email.send.ts';

const OWN = 'support@example.nl';
const mail = (headers: string[], body = 'Hallo') => Buffer.from([...headers, '', body].join('\r\n'));

describe('email parsing', () => {
  it('normalizes message ids and reads every id of References and In-Reply-To', () => {
    expect(normalizeMessageId(' <abc@x.nl> ')).toBe('<abc@x.nl>');
    expect(normalizeMessageId('abc@x.nl')).toBe('<abc@x.nl>');
    expect(normalizeMessageId('')).toBeNull();
    expect(normalizeMessageId('two words')).toBeNull();
    expect(messageIdsIn('<a@x>\r\n <b@y> <a@x>')).toEqual(['<a@x>', '<b@y>']);
    expect(messageIdsIn(['<a@x>', 'c@z'])).toEqual(['<a@x>', '<c@z>']);
  });

  it('threads on the root of References, else In-Reply-To, else its own id', async () => {
    const withRefs = await readEmail(mail(['From: a@klant.nl', 'Message-ID: <3@k>', 'In-Reply-To: <2@h>', 'References: <1@k> <2@h>']), OWN);
    expect(withRefs).toMatchObject({ kind: 'message', messageId: '<3@k>', threadKey: '<1@k>', inReplyTo: ['<2@h>', '<1@k>'], subjectToken: null });
    const onlyReplyTo = await readEmail(mail(['From: a@klant.nl', 'Message-ID: <3@k>', 'In-Reply-To: <2@h>']), OWN);
    expect(onlyReplyTo).toMatchObject({ threadKey: '<2@h>', inReplyTo: ['<2@h>'] });
    const fresh = await readEmail(mail(['From: "Sanne" <Sanne@Klant.NL>', 'Message-ID: <9@k>', 'Subject: Re: Vraag [#0A1B2C3D4E]']), OWN);
    expect(fresh).toMatchObject({ threadKey: '<9@k>', inReplyTo: [], from: { address: 'sanne@klant.nl', name: 'Sanne' }, subjectToken: '0A1B2C3D4E' });
  });

  it('gives mail without a Message-ID a stable id from its bytes', async () => {
    const raw = mail(['From: a@klant.nl', 'Subject: zonder id']);
    const [a, b] = [await readEmail(raw, OWN), await readEmail(raw, OWN)];
    expect(a.kind === 'message' && a.messageId).toMatch(/^<[0-9a-f]{40}@no-message-id\.hoorn\.invalid>$/);
    expect(a).toEqual(b);
  });

  it('folds English, Dutch, German and Outlook quote headers and >-quoted lines', () => {
    expect(foldQuotedHistory('Thanks!\n\nOn Mon, 1 Jan 2026 at 10:00, Support <s@x.nl> wrote:\n> old\n> older')).toBe('Thanks!');
    expect(foldQuotedHistory('Dank je!\n\nOp ma 1 jan. 2026 om 10:00 schreef Support <s@x.nl>:\n> oud')).toBe('Dank je!');
    expect(foldQuotedHistory('Dank!\n\nOp 1 januari 2026 heeft Support <s@x.nl> het volgende geschreven:\n\n> oud')).toBe('Dank!');
    expect(foldQuotedHistory('Danke\n\nAm 01.01.2026 um 10:00 schrieb Support:\n> alt')).toBe('Danke');
    // The quote header wrapped over two lines.
    expect(foldQuotedHistory('Ok\n\nOn Mon, 1 Jan 2026 at 10:00, Support Team <support@example.nl>\nwrote:\n> x')).toBe('Ok');
    expect(foldQuotedHistory('Prima\n\nVan: Support <s@x.nl>\nVerzonden: maandag 1 januari 2026 10:00\nAan: Sanne\nOnderwerp: Vraag\n\nOude tekst')).toBe('Prima');
    expect(foldQuotedHistory('Yes\n-----Original Message-----\nFrom: x')).toBe('Yes');
    expect(foldQuotedHistory('> quoted\nmy answer\n> more quoted\nend')).toBe('my answer\nend');
    // A mail that only quotes keeps its text rather than becoming empty.
    expect(foldQuotedHistory('> only a quote')).toBe('> only a quote');
  });

  it('sanitizes HTML and derives text without the quoted blocks', () => {
    const dirty = '<p onclick="x()">Hoi <a href="javascript:alert(1)">klik</a> <a href="https://x.nl">ok</a></p><script>alert(1)</script><style>p{}</style><iframe src="https://evil"></iframe><img src="http://track/p.gif"><img src="cid:logo">';
    const clean = sanitizeEmailHtml(dirty);
    expect(clean).not.toMatch(/script|onclick|javascript|iframe|style|http:\/\/track/);
    expect(clean).toContain('<a href="https://x.nl">ok</a>');
    expect(clean).toContain('<img src="cid:logo" />');
    expect(htmlToText('<div>Nieuw &amp; goed<br>regel 2</div><div class="gmail_quote">Op ma schreef x:<blockquote>oud</blockquote></div><script>evil()</script>')).toBe('Nieuw & goed\nregel 2');
    expect(htmlToText('<p>a</p><div id="divRplyFwdMsg">From: x</div><p>&#233;&#x20AC;</p>')).toBe('a\né€');
  });

  it('keeps the sanitized HTML of HTML-only mail and derives the body from it', async () => {
    const parsed = await readEmail(mail(['From: a@klant.nl', 'Message-ID: <h@k>', 'Content-Type: text/html; charset=utf-8'], '<p>Zie <b>bijlage</b></p><script>x()</script><blockquote>oud</blockquote>'), OWN);
    // The desk's text folds the quote; the kept HTML is the whole (sanitized) mail.
    expect(parsed).toMatchObject({ kind: 'message', body: 'Zie bijlage', meta: { html: '<p>Zie <b>bijlage</b></p><blockquote>oud</blockquote>' } });
  });

  it('skips auto-replies, bulk mail, daemons and its own mail; "Auto-Submitted: no" is a person', async () => {
    const reason = (headers: string[]) => autoReplyReason(new Map(headers.map((h) => [h.split(':')[0]!.toLowerCase(), h.split(':')[1]!.trim()])));
    expect(reason(['Auto-Submitted: auto-replied'])).toMatch(/Auto-Submitted/);
    expect(reason(['Auto-Submitted: auto-generated'])).toMatch(/Auto-Submitted/);
    expect(reason(['Auto-Submitted: no'])).toBeNull();
    for (const p of ['bulk', 'junk', 'list', 'Bulk']) expect(reason([`Precedence: ${p}`])).toMatch(/Precedence/);
    expect(reason(['Precedence: first-class'])).toBeNull();
    expect(reason(['X-Autoreply: yes'])).toMatch(/x-autoreply/);
    expect(reason(['X-Autorespond: yes'])).toMatch(/x-autorespond/);
    expect(await readEmail(mail(['From: a@klant.nl', 'Auto-Submitted: auto-replied']), OWN)).toMatchObject({ kind: 'skip' });
    expect(await readEmail(mail(['From: postmaster@klant.nl', 'Subject: notice']), OWN)).toMatchObject({ kind: 'skip' });
    expect(await readEmail(mail(['From: Support <SUPPORT@example.nl>']), OWN)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/loop/) });
    expect(await readEmail(mail(['Return-Path: <>', 'From: a@klant.nl']), OWN)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/empty return path/) });
    expect(await readEmail(mail(['Return-Path: <a@klant.nl>', 'From: a@klant.nl']), OWN)).toMatchObject({ kind: 'message' });
    expect(await readEmail(mail(['Subject: nobody']), OWN)).toMatchObject({ kind: 'skip', reason: 'no sender address' });
  });

  const dsn = (action: string, returned: string) =>
    Buffer.from(
      [
        'From: MAILER-DAEMON@mx.klant.nl',
        'Message-ID: <dsn@mx>',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
        '',
        '--B',
        'Content-Type: text/plain',
        '',
        'Report',
        '--B',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.klant.nl',
        '',
        'Final-Recipient: rfc822; a@klant.nl',
        `Action: ${action}`,
        'Status: 5.2.2',
        'Diagnostic-Code: smtp; 552 mailbox full',
        '--B',
        returned,
        '--B--',
        '',
      ].join('\r\n'),
    );

  it('reads delivery reports: the returned message’s id, failed with the diagnostic, delivered, delays skipped', async () => {
    const rfc822 = 'Content-Type: message/rfc822\r\n\r\nFrom: support@example.nl\r\nMessage-ID: <ours@example.nl>\r\n\r\nHallo';
    expect(await readEmail(dsn('failed', rfc822), OWN)).toEqual({ kind: 'status', messageId: '<ours@example.nl>', status: 'failed', error: '5.2.2 smtp; 552 mailbox full' });
    expect(await readEmail(dsn('delivered', rfc822), OWN)).toMatchObject({ kind: 'status', status: 'delivered', error: null });
    expect(await readEmail(dsn('delayed', rfc822), OWN)).toMatchObject({ kind: 'skip' });
    const headersOnly = 'Content-Type: text/rfc822-headers\r\n\r\nMessage-ID:\r\n <folded@example.nl>\r\n';
    expect(await readEmail(dsn('failed', headersOnly), OWN)).toMatchObject({ kind: 'status', messageId: '<folded@example.nl>' });
    expect(await readEmail(dsn('failed', 'Content-Type: text/plain\r\n\r\nnothing'), OWN)).toMatchObject({ kind: 'skip' });
    const exim = mail(
      ['From: Mail Delivery System <Mailer-Daemon@mx.klant.nl>', 'Message-ID: <e@mx>', 'X-Failed-Recipients: a@klant.nl', 'Subject: Mail delivery failed'],
      'This message was created automatically.\r\n\r\n  a@klant.nl\r\n    mailbox is full\r\n\r\n------ This is a copy of the message, including all the headers. ------\r\nMessage-ID: <ours2@example.nl>\r\nFrom: support@example.nl\r\n\r\nHallo',
    );
    expect(await readEmail(exim, OWN)).toMatchObject({ kind: 'status', messageId: '<ours2@example.nl>', status: 'failed', error: 'the mail bounced' });
  });

  it('never throws on random or malformed mail', async () => {
    const headerLine = fc.constantFrom(
      'From: a@klant.nl',
      'From: <>',
      'From: =?utf-8?B?////?= <x@y>',
      'Message-ID: <<<',
      'References: <a@b> junk <',
      'In-Reply-To: ',
      'Content-Type: multipart/report; report-type=delivery-status; boundary=q',
      'Content-Type: multipart/mixed; boundary=',
      'Content-Type: text/html',
      'Content-Transfer-Encoding: base64',
      'Content-Transfer-Encoding: quoted-printable',
      'Auto-Submitted: no',
      'Date: not a date',
      'Subject: =?x-unknown?Q?=ZZ?=',
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 500 }).map((b) => Buffer.from(b)),
          fc.tuple(fc.array(headerLine, { maxLength: 6 }), fc.string({ maxLength: 300 })).map(([h, body]) => mail(h, body)),
          fc.tuple(fc.array(headerLine, { maxLength: 6 }), fc.string({ maxLength: 100 })).map(([h, body]) => mail([...h, 'Content-Type: multipart/mixed; boundary=zz'], `--zz\r\n${body}\r\n--zz\r\nContent-Type: message/rfc822\r\n\r\n${body}--zz--`)),
        ),
        async (raw) => {
          const parsed = await readEmail(raw, OWN);
          expect(['message', 'status', 'skip']).toContain(parsed.kind);
          if (parsed.kind === 'message') {
            expect(parsed.messageId).toMatch(/^<[^<>\s]+>$/);
            expect(typeof parsed.body).toBe('string');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('email replies', () => {
  const config = emailConfig.parse({ address: 'Support@Example.nl', fromName: 'Hoorn, "Support"' });

  it('says Re: once, carries the conversation token, and threads on the customer’s latest mail', () => {
    expect(replySubject('Re: RE: Antw: Vraag [#0A1B2C3D4E]', '0A1B2C3D4E')).toBe('Re: Vraag [#0A1B2C3D4E]');
    expect(replySubject(null, 'ABCDEF0123')).toBe('Re: (geen onderwerp) [#ABCDEF0123]');
    expect(findSubjectToken(replySubject('x', subjectTokenOf('0a1b2c3d-4e5f-4000-8000-000000000000')))).toBe('0A1B2C3D4E');
    const { mail: m, messageId } = buildReply({
      config,
      messageId: '11111111-2222-4333-8444-555555555555',
      conversationId: '0a1b2c3d-4e5f-4000-8000-000000000000',
      subject: 'Vraag',
      to: 'sanne@klant.nl',
      body: 'Regel 1 <b>\n\nRegel 2',
      lastInbound: { providerMessageId: '<3@k>', meta: { references: ['<1@k>', '<2@example.nl>'] } },
      attachments: [],
    });
    expect(messageId).toBe('<11111111-2222-4333-8444-555555555555@example.nl>');
    expect(m).toMatchObject({ inReplyTo: '<3@k>', references: ['<1@k>', '<2@example.nl>', '<3@k>'], subject: 'Re: Vraag [#0A1B2C3D4E]', envelope: { from: 'support@example.nl' } });
    expect(m.html).toContain('<p>Regel 1 &lt;b&gt;</p>');
    expect(m.headers).not.toHaveProperty('Auto-Submitted');
    const automatic = buildReply({ config, messageId: 'b', conversationId: 'c', subject: null, to: 'x@y.nl', body: 'Ontvangen', lastInbound: undefined, attachments: [], automatic: true });
    expect(automatic.mail.headers).toMatchObject({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
    expect(automatic.mail).not.toHaveProperty('inReplyTo');
  });

  it('classifies SMTP failures: 4xx and connection errors retry, 5xx are permanent, 535 needs the admin', () => {
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 451, response: '451 4.7.1 later' })).kind).toBe('retryable');
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 550, response: '550 5.1.1 unknown' })).kind).toBe('permanent');
    expect(classifySmtpError(Object.assign(new Error('x'), { code: 'EAUTH', responseCode: 535 })).kind).toBe('auth');
    expect(classifySmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })).kind).toBe('retryable');
  });

  it('requires an IMAP server when mail is read by IMAP', () => {
    expect(emailConfig.safeParse({ address: 'a@b.nl', inbound: 'imap' }).success).toBe(false);
    expect(emailConfig.safeParse({ address: 'a@b.nl', inbound: 'both', imapHost: 'imap.b.nl' }).success).toBe(true);
  });
});

describe('IMAP cursor', () => {
  it('starts at the end of a new mailbox, fetches in batches, and starts over when UIDVALIDITY changes', () => {
    expect(planImapPass({}, { uidValidity: '7', uidNext: 41 })).toEqual({ fetch: null, cursor: { uid: 40, uidValidity: '7' } });
    expect(planImapPass({ uid: 40, uidValidity: '7' }, { uidValidity: '7', uidNext: 41 })).toEqual({ fetch: null, cursor: { uid: 40, uidValidity: '7' } });
    expect(planImapPass({ uid: 40, uidValidity: '7' }, { uidValidity: '7', uidNext: 44 })).toEqual({ fetch: { from: 41, to: 43 }, cursor: { uid: 43, uidValidity: '7' } });
    expect(planImapPass({ uid: 40, uidValidity: '7' }, { uidValidity: '7', uidNext: 500 }, 50)).toEqual({ fetch: { from: 41, to: 90 }, cursor: { uid: 90, uidValidity: '7' } });
    expect(planImapPass({ uid: 40, uidValidity: '7' }, { uidValidity: '8', uidNext: 3 })).toEqual({ fetch: null, cursor: { uid: 2, uidValidity: '8' } });
    expect(planImapPass({}, { uidValidity: '1', uidNext: 1 })).toEqual({ fetch: null, cursor: { uid: 0, uidValidity: '1' } });
  });
});
