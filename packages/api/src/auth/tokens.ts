import { createHash, randomBytes } from "node:crypto";

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** API keys look like "wsk_<8 visible chars>_<secret>"; the prefix is stored to tell keys apart. */
export function newApiKey(): { key: string; prefix: string } {
  const visible = randomBytes(6).toString("base64url").slice(0, 8);
  const secret = randomBytes(24).toString("base64url");
  const prefix = `wsk_${visible}`;
  return { key: `${prefix}_${secret}`, prefix };
}

export const API_KEY_PATTERN = /^wsk_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{32}$/;
