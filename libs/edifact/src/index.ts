export type {
  EdifactSeparators, EdifactSegment, EdifactWarning, EdifactWarningCode, EdifactParty, EdifactMessage,
  EdifactInterchange, EdifactFile,
} from './types.js';
export { DEFAULT_SEPARATORS } from './types.js';
export { decodeEdifactBytes, type DecodedText } from './decode.js';
export { tokenizeEdifact, type TokenizedText, type UnaMark } from './tokenizer.js';
export { parseEdifact } from './interchange.js';
export type {
  TradeDocument, Invoice, OrderResponse, DespatchAdvice, Quote, Order, DocumentLine, DocumentParty, Reference, Price,
  Quantity, Tax, AllowanceOrCharge, FreeText, ProductIdentifier, Description, Location, Copy,
} from './documents.js';
export {
  mapTradeMessage, mapInvoice, mapOrderResponse, mapDespatchAdvice, mapQuote, mapOrder, EdifactMessageTypeError,
  quantityOf, priceOf, partyOf, referenceOf, documentTotal, sumAmounts, LINE_ACTIONS, lineActionName,
} from './documents.js';
