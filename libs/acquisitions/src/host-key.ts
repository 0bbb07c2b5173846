import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The host key a connector trusts, as staff paste it: an OpenSSH public key or known_hosts line
 * ("ssh-ed25519 AAAA… comment", "host ssh-rsa AAAA…") or the SHA-256 fingerprint ssh-keygen -l prints
 * ("SHA256:…"). There is no "accept anything" value: a connector without a key cannot connect.
 */
export type TrustedHostKey =
  | { form: 'key'; type: string; blob: Buffer }
  | { form: 'fingerprint'; sha256: string };

const KEY_TYPE = /^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** Parses the configured key; throws with what is wrong. */
export function parseTrustedHostKey(text: string): TrustedHostKey {
  const s = (text ?? '').trim();
  if (s === '') throw new Error('hostKey is required: paste the server\'s public host key or its SHA256 fingerprint');
  const fp = /^SHA256:([A-Za-z0-9+/]{43})=?$/.exec(s);
  if (fp) return { form: 'fingerprint', sha256: fp[1]! };
  const tokens = s.split(/\s+/);
  const at = tokens.findIndex((t) => KEY_TYPE.test(t));
  if (at < 0 || at + 1 >= tokens.length) throw new Error('hostKey must be "TYPE BASE64" (as in known_hosts or a .pub file) or "SHA256:…"');
  const type = tokens[at]!;
  const b64 = tokens[at + 1]!;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) throw new Error('hostKey: the key is not base64');
  const blob = Buffer.from(b64, 'base64');
  // The blob starts with its own type name: a key pasted under the wrong type is refused here, not at connect time.
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (len <= 0 || 4 + len > blob.length || blob.toString('latin1', 4, 4 + len) !== type) throw new Error(`hostKey: the base64 data is not a ${type} key`);
  return { form: 'key', type, blob };
}

/** The fingerprint OpenSSH shows for a key blob: "SHA256:" and unpadded base64. */
export function fingerprintOf(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Whether the key the server presented is the trusted one. */
export function hostKeyMatches(trusted: TrustedHostKey, presented: Uint8Array): boolean {
  if (trusted.form === 'fingerprint') return fingerprintOf(presented) === `SHA256:${trusted.sha256}`;
  const p = Buffer.from(presented);
  return p.length === trusted.blob.length && timingSafeEqual(p, trusted.blob);
}
