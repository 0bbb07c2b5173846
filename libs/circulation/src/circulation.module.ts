import { Module, type DynamicModule } from '@nestjs/common';
import { CIRCULATION_BACKEND } from './backend.js';
import { LocalCirculationEngine } from './engine.js';
import { CIRCULATION_OPTIONS, type CirculationOptionsInput } from './options.js';

/**
 * The local circulation engine, provided as itself and as the CIRCULATION_BACKEND the SIP2 server
 * uses. Needs DbModule and AuditModule (both global) to be imported by the app.
 */
@Module({
  providers: [{ provide: CIRCULATION_OPTIONS, useValue: {} }, LocalCirculationEngine, { provide: CIRCULATION_BACKEND, useExisting: LocalCirculationEngine }],
  exports: [LocalCirculationEngine, CIRCULATION_BACKEND, CIRCULATION_OPTIONS],
})
export class CirculationModule {
  static forRoot(options: CirculationOptionsInput = {}): DynamicModule {
    return {
      module: CirculationModule,
      providers: [{ provide: CIRCULATION_OPTIONS, useValue: options }, LocalCirculationEngine, { provide: CIRCULATION_BACKEND, useExisting: LocalCirculationEngine }],
      exports: [LocalCirculationEngine, CIRCULATION_BACKEND, CIRCULATION_OPTIONS],
    };
  }
}
