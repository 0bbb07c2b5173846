export { AcquisitionsModule } from './acquisitions.module.js';
export { VendorsService, checkConnector, presentConnector } from './vendors.service.js';
export type { VendorInput, ContactInput, ConnectorInput, VendorRow, ConnectorRow } from './vendors.service.js';
export { IntakeService, INTAKE_STATES, MAX_INTAKE_BYTES, parseWarnings } from './intake.service.js';
export type { IntakeStep, IntakeHandler, IntakeOutcome, IntakeFileRow, IntakeArrivalRow, IntakeFileQuery, ArrivalInput } from './intake.service.js';
export { IntakeStore, IncomingFile, FileTooLargeError } from './intake-store.js';
export type { StoredFile } from './intake-store.js';
export { SftpPollerService } from './sftp-poller.service.js';
export type { PollEvent, PollOptions, PollReport } from './sftp-poller.service.js';
export { IntakeSchedulerService } from './intake-scheduler.service.js';
export { analyseIntake, detectIntakeFormat } from './intake-analysis.js';
export type { IntakeAnalysis, IntakeWarning } from './intake-analysis.js';
export {
  INTAKE_KINDS, DEFAULT_FOLDERS, AFTER_DOWNLOAD_ACTIONS, KIND_OF_MESSAGE, globToRegExp, matchesAny, kindOfName, renamedAfterDownload, remoteJoin, parseFolders,
} from './file-kinds.js';
export type { IntakeKind, ConnectorFolder, AfterDownloadAction } from './file-kinds.js';
export { parseTrustedHostKey, fingerprintOf, hostKeyMatches } from './host-key.js';
export type { TrustedHostKey } from './host-key.js';
export { retryDelayMs, nextRetryAt, FIRST_RETRY_MS, MAX_RETRY_MS } from './backoff.js';
export * from './vendor-marc/index.js';
export * from './reconcile/index.js';
export { OrdersService, orderLineSnapshots, documentKey } from './orders.service.js';
export type { OrderInput, OrderLineInput, DocumentOutcome, OrderLoadOutcome, OrderResponseOutcome, DespatchOutcome } from './orders.service.js';
export { InvoicesService, readInvoiceUpload, vendorInvoiceNumber } from './invoices.service.js';
export type { InvoiceOutcome, TradeDocumentOutcome, DecisionInput } from './invoices.service.js';
export { OrdersController, MAX_UPLOAD_BYTES } from './orders.controller.js';
export { VendorMarcIntakeService, vendorMarcSettings } from './vendor-marc-intake.service.js';
export type { VendorMarcSettings, VendorMarcOutcome, VendorMarcRejection } from './vendor-marc-intake.service.js';
