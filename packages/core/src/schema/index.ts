export * from "./enums";
export * from "./organizations";
export * from "./identity";
export * from "./clients";
export * from "./ai-config";
export * from "./usage";
