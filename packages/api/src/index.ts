export type { AppRouter } from "./root";
export { startServer, type RunningServer, type ServerOptions } from "./server";
