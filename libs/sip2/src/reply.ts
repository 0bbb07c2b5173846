import type { SipParseResult } from './codec.js';

export type SipReplyAdvice =
  /** Handle the request normally. */
  | { action: 'process' }
  /** A 97 arrived: send the last response again, byte for byte. */
  | { action: 'resend-last' }
  /** Answer 96 (request SC resend): the frame was damaged in transit or cannot be understood. */
  | { action: 'request-resend'; reason: string }
  /** Answer the request's own response in its negative form (ok 0 / N, a screen message): it was read, but is malformed. */
  | { action: 'negative'; reason: string };

/**
 * What a server should answer to a parsed frame. A bad or missing checksum, an empty frame and an unknown
 * message id get 96 (SIP2 has no other generic answer, and never answering stalls the kiosk); a known
 * request with malformed fixed fields gets its negative response. The connection is never the answer.
 */
export function adviseReply(result: SipParseResult): SipReplyAdvice {
  for (const e of result.errors) {
    if (e.code === 'bad-checksum' || e.code === 'missing-checksum' || e.code === 'empty-frame' || e.code === 'unknown-message') {
      return { action: 'request-resend', reason: e.message };
    }
  }
  if (result.message.id === '97') return { action: 'resend-last' };
  if (result.errors.length > 0) return { action: 'negative', reason: result.errors.map((e) => e.message).join('; ') };
  return { action: 'process' };
}
