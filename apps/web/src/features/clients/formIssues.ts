import type { z } from "zod";

/**
 * zod's own messages ("Too big: expected string to have <=16 characters") in the supplier's words,
 * for the API schemas the client forms reuse. Messages a schema sets itself are kept as they are.
 */
export function readableIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case "too_big":
      if (issue.origin === "string") return `at most ${issue.maximum} characters`;
      if (issue.origin === "array") return `at most ${issue.maximum} entries`;
      return `at most ${issue.maximum}`;
    case "too_small":
      if (issue.origin === "string") return `at least ${issue.minimum} characters`;
      if (issue.origin === "array") return `at least ${issue.minimum} entries`;
      return `at least ${issue.minimum}`;
    case "invalid_type":
      return issue.expected === "int" ? "a whole number" : "a value of the right kind";
    case "invalid_value":
      return "one of the choices offered";
    default:
      return undefined;
  }
}
