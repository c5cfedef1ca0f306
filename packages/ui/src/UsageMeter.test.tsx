import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { meterLevel, UsageMeter } from "./UsageMeter";

describe("meterLevel", () => {
  it("is amber from 80% and red from 100% of the cap", () => {
    expect(meterLevel(79, 100)).toBe("ok");
    expect(meterLevel(80, 100)).toBe("warning");
    expect(meterLevel(99.99, 100)).toBe("warning");
    expect(meterLevel(100, 100)).toBe("over");
    expect(meterLevel(250, 100)).toBe("over");
  });
  it("treats a zero cap as reached by any use", () => {
    expect(meterLevel(0, 0)).toBe("ok");
    expect(meterLevel(1, 0)).toBe("over");
  });
});

describe("UsageMeter", () => {
  it("is a meter named by its label that reads its value text, and says the level in words", () => {
    render(<UsageMeter label="Requests today" value={90} max={100} valueText="90 of 100" />);
    const meter = screen.getByRole("meter", { name: "Requests today" });
    expect(meter.getAttribute("aria-valuetext")).toBe("90 of 100");
    expect(meter.getAttribute("data-level")).toBe("warning");
    expect(screen.getByText("Nearly at the limit")).toBeTruthy();
  });
  it("caps the bar at full but still says the limit is reached", () => {
    render(<UsageMeter label="Spend today" value={12} max={10} valueText="$12.00 of $10.00" />);
    const meter = screen.getByRole("meter", { name: "Spend today" });
    expect(meter.getAttribute("aria-valuenow")).toBe("10");
    expect(screen.getByText("Limit reached")).toBeTruthy();
  });
});
