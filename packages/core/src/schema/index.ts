export * from "./ai-config";
export * from "./analytics";
export * from "./clients";
export * from "./enums";
export * from "./identity";
export * from "./organizations";
export * from "./throttles";
export * from "./usage";
