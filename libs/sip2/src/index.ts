export type { SipField, SipMessage, SipIssue, SipIssueCode, SipParseResult, SipReadOptions, SipWriteOptions } from './codec.js';
export { readMessage, buildMessage, messageText, frameText, sanitizeValue, SipBuildError } from './codec.js';
export type {
  SipTypedMessage, AnySipTypedMessage, SipTypedWriteOptions, PatronStatus, PatronStatusFlag, SummaryKind,
  LoginRequest, LoginResponse, ScStatusRequest, AcsStatusResponse, PatronStatusRequest, PatronStatusResponse,
  PatronInformationRequest, PatronInformationResponse, CheckoutRequest, CheckoutResponse, CheckinRequest,
  CheckinResponse, RenewRequest, RenewResponse, RenewAllRequest, RenewAllResponse, ItemInformationRequest,
  ItemInformationResponse, ItemStatusUpdateRequest, ItemStatusUpdateResponse, EndPatronSessionRequest,
  EndPatronSessionResponse, FeePaidRequest, FeePaidResponse, HoldRequest, HoldResponse, PatronEnableRequest,
  PatronEnableResponse, BlockPatronRequest, RequestAcsResend, RequestScResend,
} from './typed.js';
export { toTyped, fromTyped, buildTyped, patronStatusAllClear } from './typed.js';
export type { SipFrameEvent, SipFrameReaderOptions } from './frame-reader.js';
export { SipFrameReader } from './frame-reader.js';
export type { SipReplyAdvice } from './reply.js';
export { adviseReply } from './reply.js';
export { checksumOf, sipChecksum, formatChecksum, nextSequence } from './checksum.js';
export type { SipCharset } from './charset.js';
export { normalizeCharset } from './charset.js';
export type { SipDate } from './date.js';
export { parseSipDate, formatSipDate, formatIsoDate, sipDateFromDate, sipDateToDate, BLANK_SIP_DATE } from './date.js';
export type { SipMessageId, FieldCode, FieldDef, FixedFieldDef, MessageDef, FieldType, FixedType } from './spec.js';
export {
  MESSAGES, FIELDS, FIXED, SIP_MESSAGE_IDS, messageDef, fieldDef, CIRCULATION_STATUS, ALERT_TYPE, FEE_TYPE,
  PAYMENT_TYPE, SECURITY_MARKER, SC_STATUS_CODE, HOLD_MODE, LANGUAGE, PATRON_STATUS_FLAGS, SUMMARY_POSITIONS,
} from './spec.js';
