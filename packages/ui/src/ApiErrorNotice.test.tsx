import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { ApiErrorNotice } from "./ApiErrorNotice";
import type { ApiError } from "./errors";

const apiError = (message: string, data?: Record<string, unknown>) =>
  ({ message, data }) as unknown as ApiError;

describe("ApiErrorNotice", () => {
  it("says the server's message, what to do next for its code, and the request id for support", () => {
    render(
      <ApiErrorNotice
        error={apiError("Daily cost cap is above the platform's", {
          code: "CONFLICT",
          httpStatus: 409,
          requestId: "req-123",
          fieldErrors: [],
        })}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert.textContent).toContain("Daily cost cap is above the platform's");
    expect(alert.textContent).toContain("Someone else changed this a moment ago.");
    expect(screen.getByText("req-123").tagName).toBe("CODE");
    expect(screen.queryByRole("button")).toBeNull();
  });

  it("says the server could not be reached when there was no answer, and retries on request", async () => {
    const onRetry = vi.fn();
    render(<ApiErrorNotice error={apiError("fetch failed")} onRetry={onRetry} />);
    expect(screen.getByRole("alert").textContent).toContain("Could not reach the server.");
    expect(screen.getByRole("alert").textContent).not.toContain("fetch failed");
    await userEvent.setup().click(screen.getByRole("button", { name: "Try again" }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
