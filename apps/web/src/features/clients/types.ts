import type { PlatformConfig, RouterOutputs } from "@wedsync/ui/trpc";

export type ClientList = RouterOutputs["clients"]["list"];
export type ClientRow = ClientList["clients"][number];
export type ClientFeature = ClientRow["features"][number];
export type ClientConfig = RouterOutputs["clients"]["config"]["get"];
export type ClientConfigFeature = ClientConfig["features"][number];
export type ClientConfigView = NonNullable<ClientConfigFeature["override"]>;
export type PlatformFeature = PlatformConfig["features"][number];
