export { MailModule } from './mail.module.js';
export { MailService, MailNotConfiguredError, MailSendError, recipientsOf } from './mail.service.js';
export type { MailAttachment, OutgoingMail, SentMail } from './mail.service.js';
