import net from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { CARREL_SETTINGS, ConfigError, type CarrelSettings } from '@carrel/config';
import { DbService } from '@carrel/db';
import { getPrinterAttributes } from './ipp-client.js';
import { choosePrinter, parsePrinters, PrinterConfigError, type PrinterConfig } from './printer-config.js';
import type { LabelProfile } from '../labels/templates.js';
import { printerCondition, type Alert, type PrinterError, type Supply, type Tray } from './printer-status.js';
import { readPrinterSnmp } from './snmp-reader.js';

export interface PrinterSnmpState {
  /** the agent answered */
  reachable: boolean;
  error?: string;
  status?: string;
  deviceStatus?: string | null;
  errors?: PrinterError[];
  supplies?: Supply[];
  trays?: Tray[];
  alerts?: Alert[];
  /** conditions holding jobs */
  blocking?: string[];
  /** reported, printing goes on */
  warnings?: string[];
}

export interface PrinterState {
  name: string;
  uri: string;
  protocol: PrinterConfig['protocol'];
  branch: string | null;
  media: string | null;
  labelProfile: LabelProfile | null;
  default: boolean;
  /** the print port answered (IPP: Get-Printer-Attributes; raw: a TCP connection) */
  reachable: boolean;
  reachError?: string;
  /** IPP printer-state and reasons */
  ippState?: string | null;
  ippStateReasons?: string[];
  acceptingJobs?: boolean | null;
  /** null when the printer has no SNMP settings */
  snmp: PrinterSnmpState | null;
  /** jobs may go out now (as far as SNMP tells) */
  ready: boolean;
  jobs: { queued: number; held: number; sending: number; processing: number; failed: number };
}

/** The configured printers and what they say about themselves. */
@Injectable()
export class PrintersService {
  readonly printers: PrinterConfig[];

  constructor(
    private readonly db: DbService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {
    try {
      this.printers = parsePrinters(settings['print.printers']);
      if (settings['print.defaultPrinter'] && !this.printers.some((p) => p.name === settings['print.defaultPrinter'])) {
        throw new PrinterConfigError(`print.defaultPrinter "${settings['print.defaultPrinter']}" is not one of the printers in print.printers (${this.printers.map((p) => p.name).join(', ') || 'none'})`);
      }
    } catch (e) {
      if (e instanceof PrinterConfigError) throw new ConfigError(`Configuration error: ${e.message}`);
      throw e;
    }
  }

  /** the named printer, or the default; throws PrinterConfigError naming what is configured */
  printer(name?: string | null): PrinterConfig {
    return choosePrinter(this.printers, name, this.settings['print.defaultPrinter']);
  }

  /** SNMP state of one printer; null when it has no SNMP settings */
  async snmpState(p: PrinterConfig): Promise<PrinterSnmpState | null> {
    if (!p.snmp) return null;
    try {
      const c = printerCondition(await readPrinterSnmp(p.snmp, this.settings['print.snmpTimeoutMs']));
      return { reachable: true, ...c };
    } catch (e) {
      return { reachable: false, error: (e as Error).message };
    }
  }

  async list(): Promise<PrinterState[]> {
    return Promise.all(this.printers.map((p) => this.state(p)));
  }

  async state(p: PrinterConfig): Promise<PrinterState> {
    const timeoutMs = Math.min(this.settings['print.sendTimeoutMs'], 5000);
    const [snmp, reach, counts] = await Promise.all([this.snmpState(p), this.reach(p, timeoutMs), this.db.prisma.printJob.groupBy({ by: ['status'], where: { printer: p.name }, _count: { _all: true } })]);
    const count = (s: string) => counts.find((c) => c.status === s)?._count._all ?? 0;
    return {
      name: p.name,
      uri: p.uri,
      protocol: p.protocol,
      branch: p.branch,
      media: p.media,
      labelProfile: p.labelProfile,
      default: p.name === (this.settings['print.defaultPrinter'] || (this.printers.length === 1 ? p.name : '')),
      ...reach,
      snmp,
      ready: reach.reachable && (!snmp || !snmp.reachable || (snmp.blocking ?? []).length === 0),
      jobs: { queued: count('queued'), held: count('held'), sending: count('sending'), processing: count('processing'), failed: count('failed') },
    };
  }

  private async reach(p: PrinterConfig, timeoutMs: number): Promise<Pick<PrinterState, 'reachable' | 'reachError' | 'ippState' | 'ippStateReasons' | 'acceptingJobs'>> {
    if (p.protocol === 'socket') {
      // connect and leave at once: an empty job prints nothing
      return new Promise((resolve) => {
        const s = net.connect({ host: p.host, port: p.port });
        s.setTimeout(timeoutMs, () => s.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        s.once('connect', () => {
          s.destroy();
          resolve({ reachable: true });
        });
        s.once('error', (e) => resolve({ reachable: false, reachError: `socket://${p.host}:${p.port}: ${e.message}` }));
      });
    }
    try {
      const info = await getPrinterAttributes(p, { timeoutMs });
      return { reachable: true, ippState: info.state, ippStateReasons: info.stateReasons, acceptingJobs: info.acceptingJobs };
    } catch (e) {
      return { reachable: false, reachError: (e as Error).message };
    }
  }
}
