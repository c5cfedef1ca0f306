import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { OrganizationTable } from "./OrganizationTable";
import { EVERMORE, ORGS, throttle } from "./test-fixtures";

afterEach(() => vi.unstubAllGlobals());

async function renderTable(over: Partial<Parameters<typeof OrganizationTable>[0]> = {}) {
  const handlers = { onSelectionChange: vi.fn(), onSortChange: vi.fn(), onOpen: vi.fn() };
  const props = {
    rows: ORGS,
    selectedKeys: new Set<string>(),
    sortDescriptor: { column: "name", direction: "ascending" as const },
    ...handlers,
    ...over,
  };
  return { props: handlers, ...(await renderAdmin(<OrganizationTable {...props} />)) };
}

describe("OrganizationTable", () => {
  it("shows each organization's tier, clients, spend, credit, alerts and throttle state in words", async () => {
    const capEverywhere = throttle({
      id: "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb",
      scope: "feature",
      featureType: "smart_mapping",
      mode: "cap",
      perMinute: 10,
    });
    await renderTable({
      rows: [
        { ...ORGS[0]!, throttles: [throttle({}), capEverywhere] },
        { ...ORGS[1]!, throttles: [capEverywhere] },
      ],
    });
    const grid = await screen.findByRole("grid", { name: "Organizations" });
    const evermore = within(grid).getByRole("row", { name: /Evermore Wedding Planners/ });
    expect(
      within(evermore).getByRole("link", { name: "Evermore Wedding Planners" }).getAttribute("href"),
    ).toBe(`/admin/organizations/${EVERMORE}`);
    expect(evermore.textContent).toContain("Enterprise");
    expect(evermore.textContent).not.toContain("enterprise");
    expect(evermore.textContent).toContain("$12.50");
    expect(evermore.textContent).toContain("2 alerts");
    const meter = within(evermore).getByRole("meter", { name: "Credit used" });
    expect(meter.getAttribute("aria-valuetext")).toBe("$85.00 of $100.00");
    expect(evermore.textContent).toContain("Nearly at the limit");
    expect(evermore.textContent).toContain(
      "Capped at 10 requests a minute for Smart mapping on every organization",
    );
    expect(evermore.textContent).not.toContain("Paused");

    const bloom = within(grid).getByRole("row", { name: /Bloom & Petal Florals/ });
    // The strictest first (the API's order), and how many more.
    expect(bloom.textContent).toContain("Paused for this organization");
    expect(bloom.textContent).toContain("and 1 more");
    expect(bloom.textContent).toContain("None");
  });

  it("opens an organization's clients in the supplier app from its client count", async () => {
    await renderTable();
    const clients = await screen.findByRole("link", {
      name: "1,234 clients of Evermore Wedding Planners, in the supplier app",
    });
    expect(clients.getAttribute("href")).toBe(`/o/${EVERMORE}/clients`);
  });

  it("chooses rows with their checkboxes, and sorts by a column's heading", async () => {
    const user = userEvent.setup();
    const { props } = await renderTable({
      sortDescriptor: { column: "monthSpend", direction: "descending" },
    });
    const grid = await screen.findByRole("grid", { name: "Organizations" });
    const evermore = within(grid).getByRole("row", { name: /Evermore Wedding Planners/ });
    await user.click(within(evermore).getByRole("checkbox"));
    const keys = props.onSelectionChange.mock.calls.at(-1)?.[0] as Set<string>;
    expect([...keys]).toEqual([EVERMORE]);

    const spend = within(grid).getByRole("columnheader", { name: /Spend this month/ });
    expect(spend.getAttribute("aria-sort")).toBe("descending");
    await user.click(within(grid).getByRole("columnheader", { name: /Clients/ }));
    expect(props.onSortChange).toHaveBeenCalledWith({ column: "clients", direction: "ascending" });
  });
});
