import { JOB_STATUSES } from "@wedsync/core";
import { z } from "zod";
import { lastEventIdInput, memberProcedure, router, trackedStream } from "../trpc";

const jobIdInput = z.object({ jobId: z.uuid() });

/** Background jobs of heavy documents (clients.process with mode "async", or above the documented size). */
export const jobsRouter = router({
  get: memberProcedure
    .meta({
      description:
        "One background job of the organization: its status (queued, running, succeeded, failed, cancelled), progress 0-100, attempts, error, and once succeeded `result`: what clients.process answers (result, usage, needsReview).",
    })
    .input(jobIdInput)
    .query(({ ctx, input }) => ctx.services.jobs.get(ctx.scope.organizationId, input.jobId)),

  list: memberProcedure
    .meta({
      description:
        "The organization's background jobs, newest first, a page at a time (cursor: nextCursor of the previous page), optionally only those of one status or one client.",
    })
    .input(
      z
        .object({
          status: z.enum(JOB_STATUSES).optional(),
          clientId: z.uuid().optional(),
          cursor: z.uuid().optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ limit: 50 }),
    )
    .query(({ ctx, input }) =>
      ctx.services.jobs.list({ organizationId: ctx.scope.organizationId, ...input }),
    ),

  cancel: memberProcedure
    .meta({
      description:
        "Cancel a job. Queued: it never runs, nothing is charged and its reservation is released at once. Running: the provider call is aborted and the request is billed for what the provider consumed; the job ends as cancelled (follow it with onProgress). A finished job: CONFLICT.",
    })
    .input(jobIdInput)
    .mutation(({ ctx, input }) => ctx.services.jobs.cancel(ctx.scope.organizationId, input.jobId)),

  /** The job's state now, then every change (status, progress), ending once it has finished. */
  onProgress: memberProcedure
    .input(lastEventIdInput.extend(jobIdInput.shape))
    .subscription(({ ctx, input, signal }) =>
      trackedStream(
        ctx.services.jobs.progress({
          organizationId: ctx.scope.organizationId,
          jobId: input.jobId,
          lastEventId: input.lastEventId,
          signal,
        }),
      ),
    ),
});
