import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { SupplierLinks } from "./SupplierLinks";

const ID = "22222222-2222-4222-8222-222222222222";

describe("SupplierLinks", () => {
  it("links to the organization's screens in the supplier app, named in product words", () => {
    render(<SupplierLinks organizationId={ID} name="Evermore Wedding Planners" />);
    const section = screen.getByRole("region", { name: "Open in the supplier app" });
    const links = within(section).getAllByRole("link");
    expect(links.map((l) => [l.textContent, l.getAttribute("href")])).toEqual([
      ["AI configuration", `/o/${ID}/config`],
      ["Clients", `/o/${ID}/clients`],
      ["Usage analytics", `/o/${ID}/analytics`],
      ["Billing", `/o/${ID}/billing`],
      ["Alerts", `/o/${ID}/alerts`],
      ["Change history", `/o/${ID}/config#audit-heading`],
    ]);
    expect(section.textContent).toContain("You act as an admin of Evermore Wedding Planners there");
    expect(section.textContent).toContain("under your name");
  });
});
