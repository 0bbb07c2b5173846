import { Module } from '@nestjs/common';
import { PatronsService } from './patrons.service.js';

@Module({ providers: [PatronsService], exports: [PatronsService] })
export class PatronsModule {}
