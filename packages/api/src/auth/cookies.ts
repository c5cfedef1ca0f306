import { serialize } from "hono/utils/cookie";

export const SESSION_COOKIE = "wedsync_session";

export function setSessionCookie(headers: Headers, token: string, expires: Date, secure: boolean) {
  headers.append(
    "Set-Cookie",
    serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: "Lax", secure, path: "/", expires }),
  );
}

export function clearSessionCookie(headers: Headers, secure: boolean) {
  headers.append(
    "Set-Cookie",
    serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "Lax", secure, path: "/", maxAge: 0 }),
  );
}
