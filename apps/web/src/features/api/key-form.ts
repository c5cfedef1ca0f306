import { FEATURE_TYPES } from "@wedsync/core/domain";
import { z } from "zod";

/**
 * The new key's form, with apiKeys.create's bounds (name 1–100 characters after trimming, role
 * admin or member, an optional default feature) and messages that name the field.
 */
export const keyFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Name: give the key a name, e.g. the service that will use it")
    .max(100, "Name: at most 100 characters"),
  role: z.enum(["member", "admin"]),
  defaultFeature: z.enum([...FEATURE_TYPES, "none"]),
});
export type KeyFormValues = z.input<typeof keyFormSchema>;
export type KeyFormOutput = z.output<typeof keyFormSchema>;

export const keyFormDefaults: KeyFormValues = { name: "", role: "member", defaultFeature: "none" };

/** apiKeys.create's input. */
export function keyToCreate(values: KeyFormOutput) {
  return {
    name: values.name,
    role: values.role,
    defaultFeature: values.defaultFeature === "none" ? null : values.defaultFeature,
  };
}
