import { API_KEY_ROLES, apiKeyNameSchema, FEATURE_TYPES } from "@wedsync/core/domain";
import { z } from "zod";

/**
 * The new key's form: apiKeys.create's own name schema and roles (from core), with "none" standing
 * for no default feature in the picker.
 */
export const keyFormSchema = z.object({
  name: apiKeyNameSchema,
  role: z.enum(API_KEY_ROLES),
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
