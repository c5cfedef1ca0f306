export * from "./domain/index";
export * from "./schema/index";
