import { Global, Module, type DynamicModule } from '@nestjs/common';
import { loadSettings, type CarrelSettings, type LoadOptions } from './settings.js';

export const CARREL_SETTINGS = Symbol('CARREL_SETTINGS');

/** Settings are read and validated once, before any other module starts. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(settings?: CarrelSettings, opts?: LoadOptions): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: CARREL_SETTINGS, useValue: settings ?? loadSettings(opts) }],
      exports: [CARREL_SETTINGS],
    };
  }
}
