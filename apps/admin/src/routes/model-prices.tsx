import { createFileRoute } from "@tanstack/react-router";
import { z } from "zod";
import { PricesScreen } from "../features/prices/PricesScreen";
import { prefetchForStaff } from "../lib/clients";

/** ?form=add opens "Add a model"; ?model=openai/gpt-4o opens "Schedule a new price" on that model. */
const search = z.object({
  form: z.enum(["schedule", "add"]).optional().catch(undefined),
  model: z.string().max(200).optional().catch(undefined),
});

export const Route = createFileRoute("/model-prices")({
  validateSearch: search,
  loader: ({ context }) => {
    prefetchForStaff(context.queries, () => void context.queries.modelPrices.list.prefetch());
  },
  component: Screen,
});

function Screen() {
  const { form, model } = Route.useSearch();
  const navigate = Route.useNavigate();
  return (
    <PricesScreen
      form={form}
      model={model}
      onChoose={(choice) =>
        void navigate({
          search: {
            ...(choice.form && choice.form !== "schedule" && { form: choice.form }),
            ...(choice.model && { model: choice.model }),
          },
          replace: true,
        })
      }
    />
  );
}
