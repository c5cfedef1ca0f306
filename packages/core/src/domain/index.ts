export * from "./client-settings";
export * from "./config-types";
export * from "./constraints";
export * from "./errors";
export * from "./inheritance";
export * from "./limits";
export * from "./money";
export * from "./tiers";
