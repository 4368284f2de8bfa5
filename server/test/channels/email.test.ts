import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMessageByProviderId, getMessage } from '../../src/conversations/conversations.store.ts';
import { startEmailListener, type EmailListener } from '../../src/channels/email/email.inbound.ts';
import { subjectTokenOf } from '../../src/channels/email/email.parse.ts';
import { emailAdapter } from '../../src/channels/email/index.ts';
import { getChannel, getChannelState, setChannelState } from '../../src/channels/channels.store.ts';
import { pollChannelOnce } from '../../src/channels/pollers.ts';
import { FakeImapServer } from '../fakes/imap.ts';
import { customerMailer, FakeSmtpProvider } from '../fakes/smtp.ts';
import { channelHarness, type ChannelHarness } from './harness.ts';

const SUPPORT = 'support@example.nl';
const CUSTOMER = 'sanne@klant.nl';

describe('Email channel', () => {
  let h: ChannelHarness;
  let provider: FakeSmtpProvider;
  let listener: EmailListener;
  let mailer: ReturnType<typeof customerMailer>;
  let channel: { id: string; webhookUrl: string | null; inboundAddress?: string | null };

  beforeAll(async () => {
    h = await channelHarness();
    provider = await new FakeSmtpProvider().start();
    listener = await startEmailListener(h.t.platform, { port: 0, host: '127.0.0.1' });
    mailer = customerMailer(listener.port);
    channel = await h.connect({
      type: 'email',
      provider: 'smtp',
      name: 'Support',
      config: { address: 'Support@Example.nl', fromName: 'Hoorn Support', smtpHost: '127.0.0.1', smtpPort: provider.port },
    });
  });
  afterAll(async () => {
    mailer.close();
    await listener.close();
    await h.close();
    await provider.stop();
  });

  const conversationOf = async (providerMessageId: string, channelId = channel.id) => {
    const message = await findMessageByProviderId(h.t.platform.db, h.workspaceId, channelId, providerMessageId);
    expect(message, `a message ${providerMessageId}`).toBeTruthy();
    return message!.conversationId;
  };
  const messageCount = async () => (await Promise.all((await h.conversations()).map((c) => h.messages(c.id)))).flat().length;

  it('has no webhook, and refuses mail for addresses that are not a channel’s (550)', async () => {
    expect(channel.webhookUrl).toBeNull();
    // The admin sees where mail must go, and that this instance's mail server is off (no HOORN_SMTP_PORT in tests).
    expect(channel.inboundAddress).toBe('support@example.nl (HOORN_SMTP_PORT is not set)');
    const refused = await mailer.send({ from: CUSTOMER, to: 'someone-else@example.nl', subject: 'Hallo', text: 'Is dit het goede adres?' }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'EENVELOPE', responseCode: 550 });
    expect(await h.conversations()).toEqual([]);
  });

  it('tests the connection with the relay (EHLO, and the login when set)', async () => {
    const ok = (await h.api('POST', `/api/channels/${channel.id}/test`)).json();
    expect(ok).toMatchObject({ ok: true });
    expect(ok.detail).toMatch(/SMTP 127\.0\.0\.1:\d+ accepted the connection/);
    const guarded = await new FakeSmtpProvider({ user: 'hoorn', pass: 'right-password' }).start();
    try {
      const config = { address: 'auth@example.nl', smtpHost: '127.0.0.1', smtpPort: guarded.port, smtpUser: 'hoorn' };
      const right = await h.connect({ type: 'email', provider: 'smtp', config, secrets: { smtpPassword: 'right-password' } });
      expect((await h.api('POST', `/api/channels/${right.id}/test`)).json()).toMatchObject({ ok: true, detail: expect.stringMatching(/and the login/) });
      const wrong = await h.connect({ type: 'email', provider: 'smtp', config: { ...config, address: 'auth2@example.nl' }, secrets: { smtpPassword: 'wrong' } });
      const failed = (await h.api('POST', `/api/channels/${wrong.id}/test`)).json();
      expect(failed.ok).toBe(false);
      expect(failed.detail).toMatch(/535/);
      const listed = (await h.api('GET', '/api/channels')).json().items.find((c: { id: string }) => c.id === right.id);
      expect(listed.secretsSet).toEqual(['smtpPassword']);
      expect(JSON.stringify(listed)).not.toContain('right-password');
      for (const c of [right, wrong]) await h.api('PATCH', `/api/channels/${c.id}`, { enabled: false });
    } finally {
      await guarded.stop();
    }
  });

  it('runs a mail in, through routing to the agent, the reply out threaded, and the answer back into the same conversation after it was resolved', async () => {
    await mailer.send({
      from: { name: 'Sanne de Vries', address: CUSTOMER },
      to: SUPPORT,
      subject: 'Bestelling 1234 niet ontvangen',
      messageId: '<first-1@klant.nl>',
      text: 'Hallo,\n\nMijn bestelling 1234 is nog niet aangekomen.\n\nGroet, Sanne',
    });
    const conversationId = await conversationOf('<first-1@klant.nl>');
    const [conversation] = await h.conversations();
    expect(conversation).toMatchObject({ id: conversationId, channelType: 'email', subject: 'Bestelling 1234 niet ontvangen', customer: { name: 'Sanne de Vries' } });
    expect((await h.messages(conversationId)).map((m) => m.body)).toEqual(['Hallo,\n\nMijn bestelling 1234 is nog niet aangekomen.\n\nGroet, Sanne']);

    // The sending server's retry of the same mail stores nothing new.
    await mailer.send({ from: CUSTOMER, to: SUPPORT, subject: 'Bestelling 1234 niet ontvangen', messageId: '<first-1@klant.nl>', text: 'Hallo' });
    expect(await h.messages(conversationId)).toHaveLength(1);

    await h.routeToAgent(conversationId);
    const reply = await h.reply(conversationId, 'Dag Sanne,\n\nIk zoek het voor je uit.');
    expect(provider.received).toHaveLength(1);
    const sent = provider.received[0]!;
    const ourId = `<${reply.id}@example.nl>`;
    expect(sent.envelope).toEqual({ from: SUPPORT, to: [CUSTOMER] });
    expect(sent.parsed.from?.value).toEqual([{ name: 'Hoorn Support', address: SUPPORT }]);
    expect(sent.parsed.to && !Array.isArray(sent.parsed.to) ? sent.parsed.to.value[0]!.address : null).toBe(CUSTOMER);
    expect(sent.parsed.subject).toBe(`Re: Bestelling 1234 niet ontvangen [#${subjectTokenOf(conversationId)}]`);
    expect(sent.parsed.messageId).toBe(ourId);
    expect(sent.parsed.inReplyTo).toBe('<first-1@klant.nl>');
    expect(sent.parsed.references).toBe('<first-1@klant.nl>');
    expect(sent.parsed.text?.trim()).toBe('Dag Sanne,\n\nIk zoek het voor je uit.');
    expect(sent.parsed.html).toContain('<p>Dag Sanne,</p>');
    const stored = (await h.messages(conversationId)).find((m) => m.id === reply.id)!;
    expect(stored.status).toBe('sent');

    const resolved = await h.app.inject({ method: 'PATCH', url: `/api/conversations/${conversationId}`, headers: { cookie: h.agent.cookie }, payload: { status: 'resolved' } });
    expect(resolved.statusCode, resolved.body).toBe(200);

    await mailer.send({
      from: CUSTOMER,
      to: SUPPORT,
      subject: sent.parsed.subject!.replace(/^Re:/, 'Re: Re:'),
      messageId: '<answer-2@klant.nl>',
      inReplyTo: ourId,
      references: ['<first-1@klant.nl>', ourId],
      text: `Top, dank je!\n\nOp 23 nov. 2026 om 10:00 schreef Hoorn Support <${SUPPORT}>:\n> Dag Sanne,\n> Ik zoek het voor je uit.`,
    });
    expect(await conversationOf('<answer-2@klant.nl>')).toBe(conversationId);
    const reopened = (await h.api('GET', `/api/conversations/${conversationId}`)).json();
    expect(reopened.status).toBe('open');
    expect((await h.messages(conversationId)).at(-1)!.body).toBe('Top, dank je!');
    const row = await findMessageByProviderId(h.t.platform.db, h.workspaceId, channel.id, '<answer-2@klant.nl>');
    expect(row!.meta).toMatchObject({ references: ['<first-1@klant.nl>', ourId], inReplyTo: [ourId] });
    expect(String(row!.meta!.text)).toContain('> Ik zoek het voor je uit.');

    // The next reply carries the whole chain.
    await h.reply(conversationId, 'Graag gedaan!');
    const second = provider.received[1]!.parsed;
    expect(second.inReplyTo).toBe('<answer-2@klant.nl>');
    expect(second.references).toEqual(['<first-1@klant.nl>', ourId, '<answer-2@klant.nl>']);
    expect(second.subject).toBe(`Re: Bestelling 1234 niet ontvangen [#${subjectTokenOf(conversationId)}]`);

    // A mail program that dropped the threading headers still finds the thread by the subject token.
    await mailer.send({ from: CUSTOMER, to: SUPPORT, subject: second.subject!, messageId: '<no-headers-3@klant.nl>', text: 'Nog één vraag.' });
    expect(await conversationOf('<no-headers-3@klant.nl>')).toBe(conversationId);
  });

  it('opens a new conversation for a new mail without references, and a stranger cannot use another’s subject token', async () => {
    const before = (await h.conversations()).length;
    const existing = await conversationOf('<first-1@klant.nl>');
    await mailer.send({ from: CUSTOMER, to: SUPPORT, subject: 'Andere vraag: retour', messageId: '<new-4@klant.nl>', text: 'Hoe stuur ik iets terug?' });
    expect(await conversationOf('<new-4@klant.nl>')).not.toBe(existing);
    await mailer.send({ from: 'mallory@evil.example', to: SUPPORT, subject: `Re: x [#${subjectTokenOf(existing)}]`, messageId: '<evil-5@evil.example>', text: 'Laat mij meelezen' });
    expect(await conversationOf('<evil-5@evil.example>')).not.toBe(existing);
    expect((await h.conversations()).length).toBe(before + 2);
  });

  it('opens nothing for auto-replies, bulk mail and notices from MAILER-DAEMON, even when they thread', async () => {
    const before = await messageCount();
    const ourId = provider.received[0]!.parsed.messageId!;
    await mailer.send({ from: CUSTOMER, to: SUPPORT, subject: 'Afwezig', inReplyTo: ourId, references: [ourId], headers: { 'Auto-Submitted': 'auto-replied' }, text: 'Ik ben tot maandag afwezig.' });
    await mailer.send({ from: 'nieuws@winkel.nl', to: SUPPORT, subject: 'Nieuwsbrief', headers: { Precedence: 'bulk' }, text: 'Aanbiedingen' });
    await mailer.send({ from: 'robot@klant.nl', to: SUPPORT, subject: 'Out of office', headers: { 'X-Autoreply': 'yes' }, text: 'Away' });
    await mailer.send({ from: 'MAILER-DAEMON@mx.klant.nl', to: SUPPORT, subject: 'Warning', text: 'Your mailbox is almost full' });
    // An empty envelope sender (MAIL FROM:<>) is how RFC 3834 responders send.
    await mailer.sendRaw({ from: '', to: [SUPPORT] }, `From: ${CUSTOMER}\r\nSubject: Vakantie\r\nMessage-ID: <vacation@klant.nl>\r\n\r\nIk ben weg.`);
    expect(await messageCount()).toBe(before);
    // "Auto-Submitted: no" is a person.
    await mailer.send({ from: CUSTOMER, to: SUPPORT, subject: 'Echt ik', messageId: '<person-6@klant.nl>', headers: { 'Auto-Submitted': 'no' }, text: 'Dit ben ik zelf.' });
    expect(await messageCount()).toBe(before + 1);
  });

  it('marks the reply a delivery report (DSN) is about as failed, with the diagnostic', async () => {
    const conversationId = await conversationOf('<new-4@klant.nl>');
    const reply = await h.reply(conversationId, 'U kunt het pakket terugsturen met het label.');
    const ourId = `<${reply.id}@example.nl>`;
    expect(provider.received.at(-1)!.parsed.messageId).toBe(ourId);
    const dsn = [
      'From: Mail Delivery System <MAILER-DAEMON@mx.klant.nl>',
      `To: ${SUPPORT}`,
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <bounce-7@mx.klant.nl>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.klant.nl',
      '',
      `Final-Recipient: rfc822; ${CUSTOMER}`,
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 <sanne@klant.nl>: Recipient address',
      '  rejected: User unknown',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `From: Hoorn Support <${SUPPORT}>`,
      `To: ${CUSTOMER}`,
      `Message-ID: ${ourId}`,
      '--b1--',
      '',
    ].join('\r\n');
    const before = await messageCount();
    await mailer.sendRaw({ from: '', to: [SUPPORT] }, dsn);
    const failed = (await h.messages(conversationId)).find((m) => m.id === reply.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('5.1.1 smtp; 550 5.1.1 <sanne@klant.nl>: Recipient address rejected: User unknown');
    expect(await messageCount()).toBe(before);
  });

  it('sanitizes HTML-only mail, folds quoted history and keeps attachments', async () => {
    await mailer.send({
      from: 'piet@klant.nl',
      to: SUPPORT,
      subject: 'Foto van de schade',
      messageId: '<html-8@klant.nl>',
      html: '<p>Zie de <b>foto</b> &amp; de bon.</p><script>alert("x")</script><img src="x" onerror="steal()"><div class="gmail_quote">On Mon, 1 Jan 2026 Support wrote:<blockquote>Oude tekst</blockquote></div>',
      attachments: [{ filename: 'schade.png', content: Buffer.from('89504e470d0a1a0a', 'hex'), contentType: 'image/png' }],
    });
    const row = await findMessageByProviderId(h.t.platform.db, h.workspaceId, channel.id, '<html-8@klant.nl>');
    expect(row!.body).toBe('Zie de foto & de bon.');
    const html = String(row!.meta!.html);
    expect(html).toContain('<b>foto</b>');
    expect(html).not.toMatch(/script|onerror|steal/);
    const [file] = (await h.messages(row!.conversationId)).find((m) => m.id === row!.id)!.attachments as Array<{ name: string; contentType: string; size: number }>;
    expect(file).toMatchObject({ name: 'schade.png', contentType: 'image/png', size: 8 });
    // The original is kept whole, outside the desk's attachment list.
    const raw = await h.api('GET', `/api/attachments/${row!.meta!.rawAttachmentId}`);
    expect(raw.statusCode).toBe(200);
    expect(raw.body).toContain('Message-ID: <html-8@klant.nl>');

    await mailer.send({
      from: 'piet@klant.nl',
      to: SUPPORT,
      subject: 'Re: Foto van de schade',
      messageId: '<quote-9@klant.nl>',
      text: 'Het is opgelost.\n\nOn Tue, 2 Jan 2026 at 10:00, Hoorn Support <support@example.nl>\nwrote:\n> Kunt u een foto sturen?\n> Groet',
    });
    expect((await findMessageByProviderId(h.t.platform.db, h.workspaceId, channel.id, '<quote-9@klant.nl>'))!.body).toBe('Het is opgelost.');
  });

  it('sends the agent’s files as attachments', async () => {
    const conversationId = await conversationOf('<html-8@klant.nl>');
    const upload = await h.app.inject({ method: 'POST', url: '/api/attachments', headers: { cookie: h.agent.cookie, 'content-type': 'application/pdf', 'x-filename': 'factuur.pdf' }, payload: Buffer.from('%PDF-1.4 test') });
    expect(upload.statusCode, upload.body).toBe(201);
    await h.reply(conversationId, 'Hierbij de factuur.', { attachmentIds: [upload.json().id] });
    const sent = provider.received.at(-1)!.parsed;
    expect(sent.text?.trim()).toBe('Hierbij de factuur.');
    expect(sent.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([['factuur.pdf', 'application/pdf', '%PDF-1.4 test']]);
  });

  it('dead-letters a send the relay refuses (550), and retries one it defers (451)', async () => {
    const conversationId = await conversationOf('<person-6@klant.nl>');
    provider.failures.push({ stage: 'rcpt', code: 550, message: '5.1.1 No such user' });
    const refused = await h.reply(conversationId, 'Bent u er nog?');
    const failed = (await h.messages(conversationId)).find((m) => m.id === refused.id)!;
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/550.*No such user/);

    provider.failures.push({ stage: 'data', code: 451, message: '4.7.1 Try again later' });
    const deferred = await h.reply(conversationId, 'Nog een poging.');
    const row = await getMessage(h.t.platform.db, h.workspaceId, deferred.id);
    expect(row!.status).toBe('queued');
    const outbox = (await h.api('GET', '/api/outbox?status=pending')).json();
    expect(JSON.stringify(outbox)).toMatch(/451/);
  });

  it('answers random and malformed mail with stored events or a skip, never a crash', async () => {
    const before = (await h.conversations()).length;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
          fc.tuple(fc.constantFrom('Content-Type: multipart/report; report-type=delivery-status; boundary=x', 'References: <<<>>', 'In-Reply-To: ', 'Content-Type: multipart/mixed; boundary=', 'From: <>'), fc.string({ maxLength: 200 })).map(([header, body]) => `From: fuzz@klant.nl\r\n${header}\r\n\r\n${body}`),
        ),
        async (raw) => {
          const result = await mailer.sendRaw({ from: 'fuzz@klant.nl', to: [SUPPORT] }, raw.replace(/\r?\n\.\r?\n/g, '\n..\n')).catch((e) => e);
          // Accepted (250) or refused with a clear SMTP answer; never a dropped connection.
          if (result instanceof Error) expect((result as { responseCode?: number }).responseCode, String(result)).toBeGreaterThanOrEqual(500);
        },
      ),
      { numRuns: 10 },
    );
    expect((await h.conversations()).length).toBeGreaterThanOrEqual(before);
  });

  describe('through IMAP', () => {
    let imap: FakeImapServer;
    let mailboxChannel: { id: string };
    const poll = async () => pollChannelOnce(h.t.platform, emailAdapter, (await getChannel(h.t.platform.db, h.workspaceId, mailboxChannel.id))!);
    const cursor = async () => ({ uid: await getChannelState(h.t.platform.db, mailboxChannel.id, 'uid'), uidValidity: await getChannelState(h.t.platform.db, mailboxChannel.id, 'uidValidity') });
    const incoming = (id: string, extra: string[] = [], body = 'Via het postvak') =>
      [`From: Kees <kees@klant.nl>`, 'To: imap@example.nl', `Subject: Vraag ${id}`, `Message-ID: <${id}@klant.nl>`, ...extra, '', body, ''].join('\r\n');

    beforeAll(async () => {
      imap = await new FakeImapServer({ user: 'hoorn', pass: 'imap-pass' }).start();
      imap.deliver(incoming('old-1'));
      mailboxChannel = await h.connect({
        type: 'email',
        provider: 'smtp',
        name: 'Postvak',
        config: { address: 'imap@example.nl', inbound: 'imap', imapHost: '127.0.0.1', imapPort: imap.port, imapSecure: false, imapUser: 'hoorn', smtpHost: '127.0.0.1', smtpPort: provider.port },
        secrets: { imapPassword: 'imap-pass' },
      });
    });
    afterAll(() => imap.stop());

    it('tests the login to the mailbox, and reports a wrong password', async () => {
      expect((await h.api('POST', `/api/channels/${mailboxChannel.id}/test`)).json()).toEqual({ ok: true, detail: expect.stringMatching(/IMAP 127\.0\.0\.1: INBOX has 1 messages/) });
      const wrong = await h.connect({ type: 'email', provider: 'smtp', config: { address: 'imap2@example.nl', inbound: 'imap', imapHost: '127.0.0.1', imapPort: imap.port, imapSecure: false, imapUser: 'hoorn', smtpHost: '127.0.0.1', smtpPort: provider.port }, secrets: { imapPassword: 'nope' } });
      const failed = (await h.api('POST', `/api/channels/${wrong.id}/test`)).json();
      expect(failed).toMatchObject({ ok: false, detail: expect.stringMatching(/^IMAP 127\.0\.0\.1:\d+: .*(Invalid credentials|Authentication failed)/i) });
      await h.api('PATCH', `/api/channels/${wrong.id}`, { enabled: false });
    });

    it('takes mail from now on, only the UIDs above its cursor, threads replies, and repeats nothing', async () => {
      expect(await poll()).toBe(0); // the mail already there is history, not new customer mail
      expect(await cursor()).toEqual({ uid: 1, uidValidity: 7 });

      imap.deliver(incoming('imap-2', [], 'Waar is mijn pakket?\n\nOp 1 jan. 2026 schreef Support:\n> oud'));
      imap.deliver(incoming('imap-3', ['Auto-Submitted: auto-replied']));
      expect(await poll()).toBe(1); // the customer's mail; the auto-reply is skipped
      const conversationId = await conversationOf('<imap-2@klant.nl>', mailboxChannel.id);
      expect((await h.messages(conversationId)).map((m) => m.body)).toEqual(['Waar is mijn pakket?']);
      expect(await cursor()).toEqual({ uid: 3, uidValidity: 7 });
      expect(imap.commands.some((c) => /UID FETCH 2:3 /i.test(c))).toBe(true);

      // The agent answers through the relay; the customer's answer comes back by IMAP into the same conversation.
      const reply = await h.reply(conversationId, 'Hij is onderweg.');
      const ours = provider.received.at(-1)!.parsed;
      expect(ours.messageId).toBe(`<${reply.id}@example.nl>`);
      expect(ours.from?.value[0]?.address).toBe('imap@example.nl');
      imap.deliver(incoming('imap-4', [`In-Reply-To: ${ours.messageId}`, `References: <imap-2@klant.nl> ${ours.messageId}`], 'Dank!'));
      await poll();
      expect(await conversationOf('<imap-4@klant.nl>', mailboxChannel.id)).toBe(conversationId);

      // Nothing new: no fetch. A lost cursor refetches, and the Message-IDs make that harmless.
      const fetches = imap.commands.filter((c) => /UID FETCH/i.test(c)).length;
      expect(await poll()).toBe(0);
      expect(imap.commands.filter((c) => /UID FETCH/i.test(c)).length).toBe(fetches);
      const before = (await h.messages(conversationId)).length;
      await setChannelState(h.t.platform.db, mailboxChannel.id, 'uid', 1, new Date());
      await poll();
      expect((await h.messages(conversationId)).length).toBe(before);
      expect(await cursor()).toEqual({ uid: 4, uidValidity: 7 });

      // A rebuilt mailbox (new UIDVALIDITY) starts again at its end.
      imap.uidValidity = 8;
      imap.deliver(incoming('imap-5'));
      await poll();
      expect(await cursor()).toEqual({ uid: 5, uidValidity: 8 });
      expect(await findMessageByProviderId(h.t.platform.db, h.workspaceId, mailboxChannel.id, '<imap-5@klant.nl>')).toBeUndefined();
    });

    it('does not take SMTP mail for a channel that reads by IMAP', async () => {
      const refused = await mailer.send({ from: 'kees@klant.nl', to: 'imap@example.nl', subject: 'x', text: 'y' }).catch((e) => e);
      expect(refused).toMatchObject({ responseCode: 550 });
    });
  });
});
