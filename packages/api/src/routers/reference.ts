import type { AnyRouter } from "@trpc/server";
import { type ReferenceDocument, referenceOf } from "../reference/document";
import { publicProcedure, router } from "../trpc";

/**
 * The API reference of the router `api` returns (the whole API, this router included). A thunk,
 * because the whole API is built from this router too.
 */
export function referenceRouter(api: () => AnyRouter) {
  return router({
    procedures: publicProcedure
      .meta({
        description:
          "Every procedure of the API, generated from the router: type, who may call it, platform or client level, input as JSON Schema and an example input.",
      })
      .query((): ReferenceDocument => referenceOf(api())),
  });
}
