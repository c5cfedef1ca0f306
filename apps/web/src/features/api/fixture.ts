import type { ReferenceDocument } from "./words";

const org = {
  organizationId: { type: "string", format: "uuid", description: "Which organization to act in" },
};

/** A small reference document, shaped as reference.procedures answers. */
export const FIXTURE: ReferenceDocument = {
  groups: ["auth", "platform", "clients", "admin"],
  procedures: [
    {
      path: "auth.session",
      group: "auth",
      type: "query",
      access: "public",
      level: "platform",
      staffOnly: false,
      description: null,
      input: null,
      example: null,
    },
    {
      path: "platform.config.update",
      group: "platform",
      type: "mutation",
      access: "orgAdmin",
      level: "platform",
      staffOnly: false,
      description: "Change one feature",
      input: {
        type: "object",
        properties: {
          ...org,
          featureType: { type: "string", enum: ["pdf_analysis", "field_extraction"] },
          expectedVersion: { type: "integer", minimum: 1, maximum: 2147483647 },
        },
        required: ["featureType", "expectedVersion"],
      },
      example: { featureType: "pdf_analysis", expectedVersion: 1 },
    },
    {
      path: "clients.list",
      group: "clients",
      type: "query",
      access: "member",
      level: "client",
      staffOnly: false,
      description: null,
      input: {
        type: "object",
        properties: {
          ...org,
          search: { type: "string", maxLength: 100 },
          limit: { type: "integer", default: 50 },
        },
        default: { limit: 50 },
      },
      example: {},
    },
    {
      path: "clients.config.get",
      group: "clients",
      type: "query",
      access: "member",
      level: "client",
      staffOnly: false,
      description: null,
      input: {
        type: "object",
        properties: { ...org, clientId: { type: "string", format: "uuid" } },
        required: ["clientId"],
      },
      example: { clientId: "00000000-0000-4000-8000-000000000000" },
    },
    {
      path: "clients.onConfigChange",
      group: "clients",
      type: "subscription",
      access: "member",
      level: "client",
      staffOnly: false,
      description: null,
      input: { type: "object", properties: { ...org, clientId: { type: "string", format: "uuid" } } },
      example: { clientId: "00000000-0000-4000-8000-000000000000" },
    },
    {
      path: "admin.organizations.list",
      group: "admin",
      type: "query",
      access: "staff",
      level: "platform",
      staffOnly: true,
      description: null,
      input: null,
      example: null,
    },
  ],
};
