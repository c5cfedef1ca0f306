import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { AuditScreen } from "./AuditScreen";
import { auditQueryInput, auditSearchSchema, daysProblem } from "./search";
import { anEntry, EVERMORE } from "./test-fixtures";

afterEach(() => vi.unstubAllGlobals());

const ORGS = { rows: [], total: 0, limit: 20, offset: 0 };

/** The inputs admin.audit.list was asked with, in order. */
function auditInputs(): Array<Record<string, unknown>> {
  const calls = (fetch as unknown as { mock: { calls: [string][] } }).mock.calls;
  return calls
    .map(([url]) => new URL(String(url), "http://localhost"))
    .filter((u) => u.pathname.includes("admin.audit.list"))
    .map((u) => {
      const procedures = u.pathname.replace(/^\/trpc\//, "").split(",");
      const input = JSON.parse(u.searchParams.get("input") ?? "{}");
      return input[procedures.indexOf("admin.audit.list")].json;
    });
}

describe("the audit address", () => {
  it("keeps good filters and drops bad ones", () => {
    expect(
      auditSearchSchema.parse({
        org: EVERMORE,
        feature: "pdf_analysis",
        kind: "nope",
        from: "2026-13-01",
        to: "2026-05-02",
      }),
    ).toEqual({ org: EVERMORE, feature: "pdf_analysis", kind: undefined, from: undefined, to: "2026-05-02" });
    expect(daysProblem({ from: "2026-05-02", to: "2026-05-01" })).toBe(
      "The end date must be on or after the start date.",
    );
    expect(auditQueryInput({ actor: "sam", from: "2026-05-01", to: "2026-05-03" }, "Europe/Paris")).toEqual({
      organizationId: undefined,
      actor: "sam",
      featureType: undefined,
      entityKind: undefined,
      from: "2026-05-01",
      to: "2026-05-03",
      timeZone: "Europe/Paris",
      limit: 25,
    });
  });
});

describe("AuditScreen", { timeout: 30_000 }, () => {
  it("lists entries newest first, loads older ones on request, and says when there are no more", async () => {
    const user = userEvent.setup();
    let page = 0;
    await renderAdmin(<AuditScreen search={{}} timeZone="UTC" onSearch={vi.fn()} />, {
      answers: {
        "admin.organizations.list": ORGS,
        get "admin.audit.list"() {
          page += 1;
          return page === 1
            ? { entries: [anEntry({ id: 42 }), anEntry({ id: 41 })], nextCursor: 41 }
            : { entries: [anEntry({ id: 7, action: "toggle" })], nextCursor: null };
        },
      },
    });
    const list = await screen.findByRole("list", { name: "Changes, newest first" });
    expect(list.querySelectorAll(":scope > li").length).toBe(2);
    await user.click(screen.getByRole("button", { name: "Load older changes" }));
    await waitFor(() => expect(document.querySelectorAll(".audit-entry")).toHaveLength(3));
    expect(screen.getByText("That is every change that matches.")).toBeTruthy();
    expect(auditInputs().at(-1)).toMatchObject({ cursor: 41, limit: 25, timeZone: "UTC" });
  });

  it("sends the address's filters, and a filter chosen on screen becomes the new address", async () => {
    const user = userEvent.setup();
    const onSearch = vi.fn();
    await renderAdmin(
      <AuditScreen
        search={{ actor: "sam", kind: "platform_config" }}
        timeZone="Europe/London"
        onSearch={onSearch}
      />,
      {
        answers: { "admin.organizations.list": ORGS, "admin.audit.list": { entries: [], nextCursor: null } },
      },
    );
    expect(await screen.findByText("No change matches these filters")).toBeTruthy();
    expect(auditInputs()[0]).toMatchObject({
      actor: "sam",
      entityKind: "platform_config",
      timeZone: "Europe/London",
    });
    await user.click(screen.getByRole("button", { name: /Feature/ }));
    await user.click(await screen.findByRole("option", { name: "PDF analysis" }));
    expect(onSearch).toHaveBeenLastCalledWith({
      actor: "sam",
      kind: "platform_config",
      feature: "pdf_analysis",
    });
    await user.click(screen.getByRole("button", { name: "Clear every filter" }));
    expect(onSearch).toHaveBeenLastCalledWith({});
  });

  it("says what to do when nothing has changed yet, and shows an error with a retry", async () => {
    await renderAdmin(<AuditScreen search={{}} timeZone="UTC" onSearch={vi.fn()} />, {
      answers: { "admin.organizations.list": ORGS, "admin.audit.list": { entries: [], nextCursor: null } },
    });
    expect(await screen.findByText("No changes yet")).toBeTruthy();
    vi.unstubAllGlobals();
    await renderAdmin(<AuditScreen search={{}} timeZone="UTC" onSearch={vi.fn()} />, {
      answers: { "admin.organizations.list": ORGS },
    });
    expect(await screen.findByRole("button", { name: "Try again" })).toBeTruthy();
  });
});
