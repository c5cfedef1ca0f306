import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { SecretOnce } from "./SecretOnce";

const SECRET = "whsec_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

/** As the rules screen holds it: the secret lives in state until the person says they saved it. */
function Harness() {
  const [secret, setSecret] = useState<string | null>(SECRET);
  return secret ? (
    <SecretOnce secret={secret} webhookUrl="https://hooks.example.com/w" onDone={() => setSecret(null)} />
  ) : (
    <p>Rules</p>
  );
}

describe("SecretOnce", () => {
  it("shows the secret with a warning that it will not be shown again", () => {
    render(<Harness />);
    const field = screen.getByRole("textbox", { name: "Signing secret for https://hooks.example.com/w" });
    expect(field).toHaveProperty("value", SECRET);
    expect(field.hasAttribute("readonly")).toBe(true);
    expect(document.body.textContent).toContain("it will not be shown again");
  });

  it("copies the secret and says so", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<Harness />);
    await user.click(screen.getByRole("button", { name: "Copy secret" }));
    expect(writeText).toHaveBeenCalledWith(SECRET);
    expect(screen.getByText("Copied to the clipboard.")).toBeTruthy();
  });

  it("tells the person to copy it by hand when the clipboard refuses", async () => {
    const user = userEvent.setup();
    const writeText = vi.fn(async () => Promise.reject(new Error("denied")));
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    render(<Harness />);
    await user.click(screen.getByRole("button", { name: "Copy secret" }));
    expect(screen.getByText(/Could not copy/)).toBeTruthy();
  });

  it("is gone for good once dismissed", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.click(screen.getByRole("button", { name: "I have saved it" }));
    expect(screen.queryByRole("textbox")).toBeNull();
    expect(document.body.textContent).not.toContain(SECRET);
    expect(screen.getByText("Rules")).toBeTruthy();
  });
});
