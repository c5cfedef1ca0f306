import type { FirstPaint } from "@wedsync/api";
import superjson from "superjson";
import { afterEach, describe, expect, it } from "vitest";
import { AUDIT_PAGE } from "../features/config/audit-page";
import { queryClient, queryUtils } from "./clients";
import { FIRST_PAINT_ELEMENT_ID, seedFirstPaint } from "./first-paint";

const ORG = "e03decac-1238-4eaf-b40b-19dc26d68f99";

function pageWith(text: string | null) {
  if (text === null) return;
  const element = document.createElement("script");
  element.type = "application/json";
  element.id = FIRST_PAINT_ELEMENT_ID;
  element.textContent = text;
  document.body.append(element);
}

// The shapes as the API sends them; only the fields the test reads matter here.
const session = {
  user: { id: "u1", email: "owner@evermore.demo", name: "Owner", isPlatformStaff: false },
  organizations: [{ id: ORG, name: "Evermore", role: "owner" }],
} as unknown as FirstPaint["session"];
const config = {
  organization: { id: ORG, name: "Evermore", tier: "enterprise", timezone: "Europe/Paris" },
  updatedAt: new Date("2026-12-01T10:00:00Z"),
} as unknown as NonNullable<FirstPaint["organizationConfig"]>["config"];

afterEach(() => {
  queryClient.clear();
  document.getElementById(FIRST_PAINT_ELEMENT_ID)?.remove();
});

describe("seedFirstPaint", () => {
  it("puts the session and the organization's configuration in the cache under the keys the app reads", () => {
    pageWith(superjson.stringify({ session, organizationConfig: { organizationId: ORG, config } }));
    expect(seedFirstPaint(queryUtils)).toBe(true);
    expect(queryUtils.auth.session.getData()).toEqual(session);
    const cached = queryUtils.platform.config.get.getData({ organizationId: ORG });
    expect(cached).toEqual(config);
    // superjson's types survive the trip: a Date stays a Date.
    expect((cached as unknown as { updatedAt: Date }).updatedAt).toBeInstanceOf(Date);
    // Read once.
    expect(document.getElementById(FIRST_PAINT_ELEMENT_ID)).toBeNull();
  });

  it("seeds the throttles and, on the configuration screen, the priced models and the change history under the inputs the screen asks with", () => {
    const models = { models: [{ model: "gpt-4.1-mini" }] } as unknown as NonNullable<
      FirstPaint["configScreen"]
    >["models"];
    const page = {
      entries: [{ id: 7, at: new Date("2026-12-01T10:00:00Z") }],
      nextCursor: 6,
    } as unknown as NonNullable<FirstPaint["configScreen"]>["changeHistory"]["page"];
    pageWith(
      superjson.stringify({
        session,
        organizationConfig: { organizationId: ORG, config },
        throttles: { organizationId: ORG, active: [] },
        configScreen: { organizationId: ORG, models, changeHistory: { limit: AUDIT_PAGE, page } },
      }),
    );
    expect(seedFirstPaint(queryUtils)).toBe(true);
    // The banner's answer (none in force) is known too: it asks for nothing.
    expect(queryUtils.throttles.active.getData({ organizationId: ORG })).toEqual([]);
    expect(queryUtils.platform.models.getData({ organizationId: ORG })).toEqual(models);
    // The infinite query's first page, under the key AuditTrail's useInfiniteQuery reads.
    const history = queryUtils.platform.audit.list.getInfiniteData({
      organizationId: ORG,
      limit: AUDIT_PAGE,
    });
    expect(history?.pages).toEqual([page]);
    expect(history?.pageParams).toEqual([null]);
  });

  it("caches a signed-out answer too, so the sign-in form needs no request", () => {
    pageWith(superjson.stringify({ session: null }));
    expect(seedFirstPaint(queryUtils)).toBe(true);
    expect(queryClient.getQueryState(queryUtils.auth.session.queryOptions().queryKey)?.status).toBe(
      "success",
    );
    expect(queryUtils.auth.session.getData()).toBeNull();
  });

  it("ignores a page without the data, or with data it cannot read", () => {
    pageWith(null);
    expect(seedFirstPaint(queryUtils)).toBe(false);
    pageWith("{not json");
    expect(seedFirstPaint(queryUtils)).toBe(false);
    pageWith(superjson.stringify({ something: "else" }));
    expect(seedFirstPaint(queryUtils)).toBe(false);
    expect(queryUtils.auth.session.getData()).toBeUndefined();
  });
});
