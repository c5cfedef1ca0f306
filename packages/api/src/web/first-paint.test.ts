import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { type FirstPaint, firstPaintElement } from "./first-paint";

describe("firstPaintElement", () => {
  const hostile = `</script><script>alert(1)</script><!-- & \u2028\u2029 'quotes' "double"`;
  const first = {
    session: {
      user: { id: "u1", email: "a@b.test", name: hostile, isPlatformStaff: false },
      organizations: [],
    },
  } as unknown as FirstPaint;

  it("no value can end the element or open another: only the closing tag is a tag", () => {
    const html = firstPaintElement(first);
    expect(html.startsWith('<script type="application/json" id="wedsync-first-paint">')).toBe(true);
    expect(html.endsWith("</script>")).toBe(true);
    const inner = html.slice(html.indexOf(">") + 1, -"</script>".length);
    expect(inner).not.toMatch(/[<>&\u2028\u2029]/);
  });

  it("reads back as the same data, every character intact", () => {
    const text = firstPaintElement(first)
      .replace(/^<script[^>]*>/, "")
      .replace(/<\/script>$/, "");
    expect(superjson.parse(text)).toEqual(first);
  });
});
