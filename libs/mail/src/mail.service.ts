import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';

/** Mail was asked for but `mail.smtpUrl` is empty: nothing can be sent until it is set. */
export class MailNotConfiguredError extends Error {
  constructor() {
    super('mail is not configured: set mail.smtpUrl (environment variable CARREL_MAIL_SMTP_URL), e.g. smtp://mail.example.org:587');
  }
}

/** The SMTP server refused the message or could not be reached; `message` says which and why. */
export class MailSendError extends Error {
  constructor(readonly to: string[], failure: Error & { responseCode?: number; response?: string; code?: string }) {
    super(`mail to ${to.join(', ')} was not sent: ${failure.response ?? failure.message}${failure.responseCode ? ` (SMTP ${failure.responseCode})` : failure.code ? ` (${failure.code})` : ''}`, { cause: failure });
  }
}

export interface MailAttachment {
  filename: string;
  content: string | Buffer;
  contentType?: string;
}

export interface OutgoingMail {
  to: string | string[];
  subject: string;
  text: string;
  /** default: the `mail.from` setting */
  from?: string;
  replyTo?: string;
  attachments?: MailAttachment[];
}

export interface SentMail {
  /** the Message-ID header, as the recipient will see it */
  messageId: string;
  accepted: string[];
  rejected: string[];
}

/** Splits "a@x, b@y" and arrays of such into single addresses, refusing an empty list. */
export function recipientsOf(to: string | string[]): string[] {
  const list = (Array.isArray(to) ? to : [to]).flatMap((t) => t.split(/[,;]/)).map((t) => t.trim()).filter(Boolean);
  if (list.length === 0) throw new Error('mail has no recipient');
  return list;
}

/**
 * Sends plain-text mail through the SMTP server named by `mail.smtpUrl` (smtp://, or smtps:// for TLS
 * from the start; user and password in the URL when the server wants them). One connection per message:
 * Carrel mails a handful of letters a night, not bulk.
 */
@Injectable()
export class MailService implements OnApplicationShutdown {
  private transport: Transporter | null = null;

  constructor(@Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings) {}

  get configured(): boolean {
    return this.settings['mail.smtpUrl'].trim() !== '';
  }

  private transporter(): Transporter {
    if (!this.configured) throw new MailNotConfiguredError();
    this.transport ??= createTransport(this.settings['mail.smtpUrl'].trim());
    return this.transport;
  }

  async send(mail: OutgoingMail): Promise<SentMail> {
    const to = recipientsOf(mail.to);
    const transport = this.transporter();
    try {
      const info = await transport.sendMail({
        from: mail.from ?? this.settings['mail.from'],
        to,
        replyTo: mail.replyTo,
        subject: mail.subject,
        text: mail.text,
        attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      });
      const addresses = (list: unknown[] | undefined) => (list ?? []).map((a) => (typeof a === 'string' ? a : (a as { address: string }).address));
      return { messageId: info.messageId, accepted: addresses(info.accepted), rejected: addresses(info.rejected) };
    } catch (e) {
      throw new MailSendError(to, e as Error);
    }
  }

  onApplicationShutdown(): void {
    this.transport?.close();
    this.transport = null;
  }
}
