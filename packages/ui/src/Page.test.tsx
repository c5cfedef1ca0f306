import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { NotFound } from "./NotFound";
import { AppNameContext, EmptyState, Page } from "./Page";

describe("Page", () => {
  it("focuses its heading and names the browser tab after the screen and the app", () => {
    render(
      <AppNameContext.Provider value="WedSync Admin">
        <Page
          title="Organizations"
          lead="Every organization."
          actions={<button type="button">Export</button>}
        >
          <EmptyState title="No organizations yet">Sign one up.</EmptyState>
        </Page>
      </AppNameContext.Provider>,
    );
    const heading = screen.getByRole("heading", { level: 1, name: "Organizations" });
    expect(document.activeElement).toBe(heading);
    expect(document.title).toBe("Organizations · WedSync Admin");
    expect(screen.getByText("No organizations yet").className).toBe("empty-title");
    expect(screen.getByRole("button", { name: "Export" })).toBeTruthy();
  });

  it("is called WedSync when no app name is given", () => {
    render(<Page title="Clients">{null}</Page>);
    expect(document.title).toBe("Clients · WedSync");
  });
});

describe("NotFound", () => {
  it("says what does not exist and offers the app's own way home", () => {
    render(<NotFound what="organization" home={<a href="/admin/organizations">Go to organizations</a>} />);
    expect(screen.getByRole("heading", { level: 1, name: "This organization does not exist" })).toBeTruthy();
    expect(screen.getByText(/the organization may have been removed/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Go to organizations" })).toBeTruthy();
  });
});
