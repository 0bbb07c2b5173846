export { PatronsModule } from './patrons.module.js';
export { PatronsService, patronView } from './patrons.service.js';
export type { PatronImportReport, PatronInput, PatronView } from './patrons.service.js';
export { parseKohaPatronCsv, parseDate } from './koha-patron-csv.js';
export type { CsvDateFormat, ParsedPatronFile, PatronRow } from './koha-patron-csv.js';
export { hashPin, verifyPin } from './pin-hash.js';
