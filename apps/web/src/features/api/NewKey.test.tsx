import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { NewKey } from "./KeysScreen";
import { type ApiKey, KeysTable } from "./KeysTable";

const SECRET = "wsk_live_0123456789abcdefghijklmnopqrstuv";

vi.mock("@tanstack/react-router", () => ({ Link: () => null }));

describe("a new API key", { timeout: 20_000 }, () => {
  it("is checked before sending: a name is required", async () => {
    const user = userEvent.setup();
    const create = vi.fn();
    render(<NewKey create={create} creating={false} error={null} />);
    await user.click(screen.getByRole("button", { name: "Create key" }));
    expect(await screen.findByText(/Name: give the key a name/)).toBeTruthy();
    expect(create).not.toHaveBeenCalled();
  });

  it("shows its secret once, with a copy button and a warning, then never again", async () => {
    const user = userEvent.setup();
    const create = vi.fn(async () => ({ name: "Booking site", secret: SECRET }));
    render(<NewKey create={create} creating={false} error={null} />);
    await user.type(screen.getByRole("textbox", { name: "Name" }), "  Booking site ");
    await user.click(screen.getByRole("button", { name: "Create key" }));
    expect(create).toHaveBeenCalledWith({ name: "Booking site", role: "member", defaultFeature: "none" });

    const dialog = await screen.findByRole("dialog", { name: /Your new key “Booking site”/ });
    expect((within(dialog).getByLabelText("API key") as HTMLInputElement).value).toBe(SECRET);
    expect(dialog.textContent).toContain("it will not be shown again");
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    await user.click(within(dialog).getByRole("button", { name: "Copy key" }));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(await within(dialog).findByText("Copied.")).toBeTruthy();
    // Escape does not lose it by accident.
    await user.keyboard("{Escape}");
    expect(screen.getByRole("dialog")).toBeTruthy();

    await user.click(within(dialog).getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(document.body.innerHTML).not.toContain(SECRET);
    // The form is ready for the next key.
    expect((screen.getByRole("textbox", { name: "Name" }) as HTMLInputElement).value).toBe("");
  });

  it("the key list shows only each key's prefix, and revoking asks first", async () => {
    const user = userEvent.setup();
    const key: ApiKey = {
      id: "k1",
      name: "Booking site",
      prefix: SECRET.slice(0, 12),
      role: "member",
      defaultFeature: null,
      createdBy: null,
      createdAt: new Date("2026-05-01T10:00:00Z"),
      lastUsedAt: null,
      revokedAt: null,
    };
    const onRevoke = vi.fn(async () => undefined);
    render(
      <KeysTable
        keys={[key, { ...key, id: "k2", name: "Old", revokedAt: new Date() }]}
        onRevoke={onRevoke}
      />,
    );
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.getAllByText(`${SECRET.slice(0, 12)}…`)).toHaveLength(2);
    // A revoked key cannot be revoked again; the active one asks before it goes.
    expect(screen.getAllByRole("button", { name: /^Revoke/ })).toHaveLength(1);
    const trigger = screen.getByRole("button", { name: /^Revoke/ });
    expect(trigger.textContent).toBe("Revoke Booking site");
    await user.click(trigger);
    const confirm = await screen.findByRole("alertdialog", { name: "Revoke “Booking site”?" });
    expect(onRevoke).not.toHaveBeenCalled();
    await user.click(within(confirm).getByRole("button", { name: "Revoke key" }));
    expect(onRevoke).toHaveBeenCalledWith(key);
  });
});
