import { loadSettings, ConfigError } from '@carrel/config';
import { MailNotConfiguredError, MailSendError, MailService, recipientsOf } from '@carrel/mail';
import { ROOT } from '../support/databases.js';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server.js';

function settings(env: Record<string, string>) {
  return loadSettings({ baseDir: ROOT, file: null, env: { CARREL_LOG_LEVEL: 'silent', ...env } });
}

describe('MailService against a real SMTP server', () => {
  let smtp: TestSmtpServer;
  let mail: MailService;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    mail = new MailService(settings({ CARREL_MAIL_SMTP_URL: smtp.url, CARREL_MAIL_FROM: 'Serials <serials@library.example>' }));
  });
  afterAll(async () => {
    mail.onApplicationShutdown();
    await smtp.close();
  });
  beforeEach(() => smtp.clear());

  it('delivers a message that parses back to the same sender, recipients, subject, text and attachment', async () => {
    const sent = await mail.send({
      to: 'claims@vendor.example, backup@vendor.example',
      subject: 'Claim: Zeitschrift für Ökologie — 2 issues',
      text: 'Dear vendor,\nthese issues have not arrived: «v.3:no.7»\n',
      attachments: [{ filename: 'claims.csv', content: 'a,b\n1,2\n', contentType: 'text/csv' }],
    });
    expect(sent.accepted).toEqual(['claims@vendor.example', 'backup@vendor.example']);
    expect(sent.rejected).toEqual([]);
    const [got] = await smtp.waitFor(1);
    expect(got.envelopeFrom).toBe('serials@library.example');
    expect(got.envelopeTo).toEqual(['claims@vendor.example', 'backup@vendor.example']);
    expect(got.parsed.subject).toBe('Claim: Zeitschrift für Ökologie — 2 issues');
    expect(got.parsed.text).toBe('Dear vendor,\nthese issues have not arrived: «v.3:no.7»\n');
    expect(got.parsed.from?.value).toEqual([{ address: 'serials@library.example', name: 'Serials' }]);
    expect(got.parsed.messageId).toBe(sent.messageId);
    expect(got.parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString('utf8')])).toEqual([['claims.csv', 'text/csv', 'a,b\n1,2\n']]);
  });

  it('names the refused mailbox and the SMTP code when the server refuses the recipient', async () => {
    smtp.refuse.add('gone@vendor.example');
    try {
      const err = await mail.send({ to: 'gone@vendor.example', subject: 's', text: 't' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MailSendError);
      expect((err as Error).message).toMatch(/gone@vendor\.example/);
      expect((err as Error).message).toMatch(/550/);
      expect(smtp.messages).toHaveLength(0);
    } finally {
      smtp.refuse.clear();
    }
  });

  it('refuses a message with no recipient before connecting', async () => {
    await expect(mail.send({ to: ' , ', subject: 's', text: 't' })).rejects.toThrow('mail has no recipient');
    expect(recipientsOf(['a@x.example; b@x.example'])).toEqual(['a@x.example', 'b@x.example']);
  });
});

describe('MailService without a server', () => {
  it('says mail is not configured, naming the setting, when mail.smtpUrl is empty', async () => {
    const mail = new MailService(settings({}));
    expect(mail.configured).toBe(false);
    await expect(mail.send({ to: 'a@b.example', subject: 's', text: 't' })).rejects.toThrow(MailNotConfiguredError);
    await expect(mail.send({ to: 'a@b.example', subject: 's', text: 't' })).rejects.toThrow(/mail\.smtpUrl \(environment variable CARREL_MAIL_SMTP_URL\)/);
  });

  it('reports a server that is not listening as a send error naming the connection failure', async () => {
    const smtp = await startSmtpServer();
    const url = smtp.url;
    await smtp.close();
    const mail = new MailService(settings({ CARREL_MAIL_SMTP_URL: url }));
    await expect(mail.send({ to: 'a@b.example', subject: 's', text: 't' })).rejects.toThrow(/mail to a@b\.example was not sent: .*ECONNREFUSED/);
    mail.onApplicationShutdown();
  });

  it('rejects a mail setting that is not an SMTP URL or not an address, naming the setting', () => {
    expect(() => settings({ CARREL_MAIL_SMTP_URL: 'http://mail.example' })).toThrow(ConfigError);
    expect(() => settings({ CARREL_MAIL_SMTP_URL: 'http://mail.example' })).toThrow(/mail\.smtpUrl \(environment variable CARREL_MAIL_SMTP_URL\) must be an smtp:\/\//);
    expect(() => settings({ CARREL_MAIL_FROM: 'not an address' })).toThrow(/mail\.from .* must be an address/);
    expect(() => settings({ CARREL_SERIALS_LATE_CRON: 'nightly' })).toThrow(/serials\.lateCron .* cron expression/);
  });
});
