import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderAdmin, sessionOf } from "../test/render";
import { StaffGate } from "./StaffGate";

afterEach(() => vi.unstubAllGlobals());

const app = <StaffGate>{(session) => <p>Staff console for {session.user.name}</p>}</StaffGate>;

describe("StaffGate", () => {
  it("asks someone signed out to sign in to the admin app", async () => {
    await renderAdmin(app, { answers: { "auth.session": null } });
    expect(await screen.findByRole("heading", { level: 1, name: "Sign in to WedSync Admin" })).toBeTruthy();
    expect(screen.queryByText(/Staff console/)).toBeNull();
  });

  it("tells someone who is not platform staff so, with a way back to the supplier app and out", async () => {
    const { calls } = await renderAdmin(app, {
      answers: { "auth.session": sessionOf({ isPlatformStaff: false, email: "member@evermore.demo" }) },
    });
    expect(await screen.findByRole("heading", { level: 1, name: "Platform staff only" })).toBeTruthy();
    expect(screen.getByText(/signed in as member@evermore\.demo/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Go to the supplier app" }).getAttribute("href")).toBe("/");
    expect(screen.getByRole("button", { name: "Sign out" })).toBeTruthy();
    expect(screen.queryByText(/Staff console/)).toBeNull();
    // Nothing staff-only was asked for on their behalf.
    expect(calls).toEqual(["auth.session"]);
  });

  it("lets platform staff in", async () => {
    await renderAdmin(app, { answers: { "auth.session": sessionOf() } });
    expect((await screen.findByText("Staff console for Sam Staff")).tagName).toBe("P");
  });
});
