import { Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { CirculationLog, SIP2_CIRCULATION_LOG } from './circulation-log.js';
import { SIP2_SERVER_OPTIONS, type Sip2ServerOptions } from './options.js';
import { Sip2Server } from './server.js';
import { sip2OptionsFromSettings } from './settings.js';

type Imports = ModuleMetadata['imports'];

/**
 * The SIP2 server as a Nest module. The backend comes from whatever provides CIRCULATION_BACKEND (pass the
 * module that exports it in `imports`); the circulation log writes through DbService (DbModule is global).
 * The hub calls `app.get(Sip2Server).start()` / `.stop()`.
 */
@Module({})
export class Sip2ServerModule {
  static forRoot(options: Sip2ServerOptions, extra: { imports?: Imports } = {}): DynamicModule {
    return Sip2ServerModule.build(extra.imports, { provide: SIP2_SERVER_OPTIONS, useValue: options });
  }

  /** Options from a factory (e.g. read from settings at startup). */
  static forRootAsync(o: { imports?: Imports; inject?: (string | symbol | Function)[]; useFactory: (...args: never[]) => Sip2ServerOptions | Promise<Sip2ServerOptions> }): DynamicModule {
    return Sip2ServerModule.build(o.imports, { provide: SIP2_SERVER_OPTIONS, inject: o.inject ?? [], useFactory: o.useFactory as (...args: unknown[]) => Sip2ServerOptions });
  }

  /** Options from Carrel's settings (sip2.listeners, sip2.accountsFile, sip2.maxFrameBytes, ...). */
  static fromSettings(extra: { imports?: Imports } = {}): DynamicModule {
    return Sip2ServerModule.forRootAsync({ imports: extra.imports, inject: [CARREL_SETTINGS], useFactory: (s: CarrelSettings) => sip2OptionsFromSettings(s) });
  }

  private static build(imports: Imports, options: DynamicModule['providers'] extends (infer P)[] | undefined ? P : never): DynamicModule {
    return {
      module: Sip2ServerModule,
      imports: imports ?? [],
      providers: [
        options,
        CirculationLog,
        { provide: SIP2_CIRCULATION_LOG, useExisting: CirculationLog },
        Sip2Server,
      ],
      exports: [Sip2Server, CirculationLog],
    };
  }
}
