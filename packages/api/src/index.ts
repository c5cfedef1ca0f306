// Types only: apps and the typed client import from here without pulling in server code.
// The server itself is "@wedsync/api/server".
export type { AppRouter } from "./root";
export type { FirstPaint } from "./web/first-paint";
