import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { FIXTURE } from "./fixture";
import { withRealIds } from "./ids";
import { ProcedureList } from "./ProcedureList";
import { groupProcedures } from "./reference";
import { inputVariants, schemaRows } from "./schema-rows";

const ORG = "11111111-1111-4111-8111-111111111111";
const CLIENT = "22222222-2222-4222-8222-222222222222";
const byPath = (path: string) => FIXTURE.procedures.find((p) => p.path === path)!;

function renderList(query = "", selected: string | null = null) {
  return render(
    <ProcedureList
      groups={groupProcedures(FIXTURE, query)}
      selected={selected}
      renderLink={(p, current, children) => (
        <a href={`?p=${p.path}`} aria-current={current ? "true" : undefined}>
          {children}
        </a>
      )}
    />,
  );
}

describe("the reference list", () => {
  it("groups procedures by router in the API's order, with words for each router", () => {
    renderList();
    const headings = screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual([
      "Sign-in and sessions Platform-level",
      "Organization AI settings and usage Platform-level",
      "Clients (weddings) Client-level",
      "Platform administration Platform-level",
    ]);
    const clients = screen.getByRole("region", { name: /Clients \(weddings\)/ });
    expect(
      within(clients)
        .getAllByRole("link")
        .map((l) => l.getAttribute("href")),
    ).toEqual(["?p=clients.list", "?p=clients.config.get", "?p=clients.onConfigChange"]);
  });

  it("marks each procedure client- or platform-level, its type, and staff-only ones", () => {
    renderList();
    const link = (path: string) =>
      screen.getByRole("link", { name: new RegExp(`^${path.replaceAll(".", "\\.")}`) });
    expect(link("clients.list").textContent).toContain("Client-level");
    expect(link("clients.list").textContent).toContain("Query");
    expect(link("clients.onConfigChange").textContent).toContain("Subscription");
    expect(link("platform.config.update").textContent).toContain("Platform-level");
    expect(link("platform.config.update").textContent).toContain("Mutation");
    expect(link("platform.config.update").textContent).toContain("Owners & admins");
    expect(link("admin.organizations.list").textContent).toContain("Staff only");
    expect(link("clients.list").textContent).not.toContain("Staff only");
  });

  it("filters by every word typed (path, router words, level), and marks the open one", () => {
    expect(
      groupProcedures(FIXTURE, "client-level query").flatMap((g) => g.procedures.map((p) => p.path)),
    ).toEqual(["clients.list", "clients.config.get"]);
    expect(groupProcedures(FIXTURE, "CONFIG").flatMap((g) => g.procedures.map((p) => p.path))).toEqual([
      "platform.config.update",
      "clients.config.get",
      "clients.onConfigChange",
    ]);
    expect(groupProcedures(FIXTURE, "nothing like this")).toEqual([]);
    renderList("", "clients.list");
    expect(screen.getByRole("link", { current: true }).getAttribute("href")).toBe("?p=clients.list");
  });
});

describe("examples with the organization's own ids", () => {
  it("puts the organization first where the input takes one, and a real client wherever one is named", () => {
    expect(withRealIds(byPath("clients.config.get"), { organizationId: ORG, clientId: CLIENT })).toEqual({
      organizationId: ORG,
      clientId: CLIENT,
    });
    expect(
      Object.keys(
        withRealIds(byPath("platform.config.update"), { organizationId: ORG, clientId: null }) as object,
      )[0],
    ).toBe("organizationId");
    // No client yet: the placeholder stays, the rest still works.
    expect(withRealIds(byPath("clients.config.get"), { organizationId: ORG, clientId: null })).toMatchObject({
      clientId: "00000000-0000-4000-8000-000000000000",
    });
    expect(withRealIds(byPath("auth.session"), { organizationId: ORG, clientId: CLIENT })).toBeNull();
  });
});

describe("input schemas in words", () => {
  it("lists fields with type, requirement and rules", () => {
    const rows = schemaRows(byPath("platform.config.update").input!);
    expect(rows.map((r) => [r.name, r.type, r.required])).toEqual([
      ["organizationId", "text (uuid)", false],
      ["featureType", 'one of "pdf_analysis", "field_extraction"', true],
      ["expectedVersion", "whole number", true],
    ]);
    expect(rows[2]!.rules).toEqual(["1–2147483647 (inclusive)"]);
    expect(rows[0]!.description).toBe("Which organization to act in");
  });

  it("names each branch of a union by its constant fields, and nests objects", () => {
    const variants = inputVariants({
      oneOf: [
        {
          type: "object",
          properties: {
            featureType: { const: "field_extraction" },
            input: {
              type: "object",
              properties: { text: { type: "string", minLength: 1 } },
              required: ["text"],
            },
          },
        },
        { type: "object", properties: { featureType: { const: "pdf_analysis" } } },
      ],
    });
    expect(variants.map((v) => v.title)).toEqual([
      'When featureType = "field_extraction"',
      'When featureType = "pdf_analysis"',
    ]);
    expect(variants[0]!.rows.map((r) => [r.name, r.depth])).toEqual([
      ["featureType", 0],
      ["input", 0],
      ["input.text", 1],
    ]);
  });
});
