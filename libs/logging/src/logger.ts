import type { LoggerService, LogLevel } from '@nestjs/common';
import { pino, type Logger, type DestinationStream } from 'pino';

export type CarrelLogger = Logger;

/** Structured JSON logs, one object per line, on stdout (or the given stream). */
export function createLogger(level: string, stream?: DestinationStream): CarrelLogger {
  return pino({ level, base: { service: 'carrel', pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

/** Nest's own messages (module wiring, route mapping, errors) go through the same JSON log. */
export class NestJsonLogger implements LoggerService {
  constructor(private readonly logger: CarrelLogger) {}
  log(message: unknown, context?: string) {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, stringify(message));
  }
  warn(message: unknown, context?: string) {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string) {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string) {
    this.write('trace', message, context);
  }
  fatal(message: unknown, context?: string) {
    this.write('fatal', message, context);
  }
  setLogLevels(_levels: LogLevel[]) {}
  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string) {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, stringify(message));
  }
}

function stringify(m: unknown): string {
  return typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m);
}
