import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../../test/render";
import { OrganizationsScreen } from "./OrganizationsScreen";
import { BLOOM, EVERMORE, ORGS } from "./test-fixtures";

afterEach(() => vi.unstubAllGlobals());

const LIST = { rows: ORGS, total: 2, limit: 25, offset: 0 };

describe("OrganizationsScreen", () => {
  it("sends the organizations chosen in the table to Bulk changes", async () => {
    const user = userEvent.setup();
    const onBulk = vi.fn();
    await renderAdmin(
      <OrganizationsScreen search={{}} onSearch={() => {}} onOpen={() => {}} onBulk={onBulk} />,
      {
        answers: { "admin.organizations.list": LIST },
      },
    );
    const grid = await screen.findByRole("grid", { name: "Organizations" });
    expect(screen.getByText("2 organizations")).toBeTruthy();
    expect(screen.queryByRole("toolbar", { name: "Chosen organizations" })).toBeNull();
    for (const name of ["Bloom & Petal Florals", "Evermore Wedding Planners"]) {
      await user.click(
        within(within(grid).getByRole("row", { name: new RegExp(name) })).getByRole("checkbox"),
      );
    }
    const bar = screen.getByRole("toolbar", { name: "Chosen organizations" });
    expect(bar.textContent).toContain(
      "2 organizations chosen: Bloom & Petal Florals, Evermore Wedding Planners",
    );
    await user.click(within(bar).getByRole("button", { name: "Change the chosen in bulk…" }));
    expect(onBulk).toHaveBeenCalledWith([BLOOM, EVERMORE]);
  });

  it("puts the search in the address after a pause in typing, keeping the order", async () => {
    const user = userEvent.setup();
    const onSearch = vi.fn();
    await renderAdmin(
      <OrganizationsScreen
        search={{ sort: "clients", dir: "desc" }}
        onSearch={onSearch}
        onOpen={() => {}}
        onBulk={() => {}}
      />,
      { answers: { "admin.organizations.list": LIST } },
    );
    await user.type(await screen.findByRole("searchbox", { name: "Search by name" }), "ever");
    await waitFor(() => expect(onSearch).toHaveBeenCalled());
    expect(onSearch.mock.calls.at(-1)?.[0]).toEqual({
      q: "ever",
      tier: undefined,
      sort: "clients",
      dir: "desc",
    });
  });

  it("says when nothing matches, and how to widen the search", async () => {
    const user = userEvent.setup();
    const onSearch = vi.fn();
    await renderAdmin(
      <OrganizationsScreen
        search={{ q: "zzz", tier: "free" }}
        onSearch={onSearch}
        onOpen={() => {}}
        onBulk={() => {}}
      />,
      {
        answers: {
          "admin.organizations.list": { rows: [], total: 0, limit: 25, offset: 0 },
        },
      },
    );
    expect(await screen.findByText("No organizations match: Free tier, names containing “zzz”")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Clear the search" }));
    expect(onSearch).toHaveBeenCalledWith({});
  });
});
