// Component-test setup for the apps and this package (vitest setupFiles).
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

// Testing Library unmounts after each test only when the runner exposes globals; vitest does not by default.
afterEach(() => cleanup());

// jsdom has no CSS.escape, which React Aria's dialogs call (to read a CSP nonce <meta>).
const css = (globalThis.CSS ?? {}) as { escape?: (value: string) => string };
css.escape ??= (value: string) => value.replace(/[^a-zA-Z0-9_-]/g, (ch) => `\\${ch}`);
(globalThis as { CSS?: unknown }).CSS = css;
