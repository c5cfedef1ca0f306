export type { AppRouter } from "./root";
export { type RunningServer, type ServerOptions, startServer } from "./server";
