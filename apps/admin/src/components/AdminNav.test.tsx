import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin } from "../test/render";
import { AdminNav } from "./AdminNav";

afterEach(() => vi.unstubAllGlobals());

describe("AdminNav", () => {
  it("offers every section, and marks the one the page is in (an organization's page is under Organizations)", async () => {
    await renderAdmin(<AdminNav />, { path: "/organizations/22222222-2222-4222-8222-222222222222" });
    const nav = screen.getByRole("navigation", { name: "Sections" });
    const links = within(nav).getAllByRole("link");
    expect(links.map((l) => l.textContent)).toEqual([
      "Organizations",
      "Bulk changes",
      "Throttling",
      "Model prices",
      "Audit",
      "Service levels",
      "Invoices",
    ]);
    expect(links.map((l) => l.getAttribute("href"))).toEqual([
      "/admin/organizations",
      "/admin/bulk",
      "/admin/throttling",
      "/admin/model-prices",
      "/admin/audit",
      "/admin/service-levels",
      "/admin/invoices",
    ]);
    expect(links.filter((l) => l.getAttribute("aria-current") === "page").map((l) => l.textContent)).toEqual([
      "Organizations",
    ]);
  });
});
