import { Module } from '@nestjs/common';
import { MailService } from './mail.service.js';

/** Outgoing mail (claims to vendors); the settings come from the global ConfigModule. */
@Module({ providers: [MailService], exports: [MailService] })
export class MailModule {}
